package org.layerlift.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters that reject what no simulation can use, with a message saying why. */
final class Converters {

    private Converters() {
    }

    static double number(String value) {
        String trimmed = value.trim();
        try {
            return Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    /** A link rate in Mbps: a positive, finite number. */
    static final class Mbps implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double mbps = number(value);
            if (!Double.isFinite(mbps) || mbps <= 0) {
                throw new TypeConversionException("'" + value + "' is not a bandwidth: it must be a positive number "
                        + "of Mbps (1 Mbps = 125,000 bytes/s)");
            }
            return mbps;
        }
    }

    /** A duration in ms: finite and not negative. */
    static final class NonNegativeMs implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double ms = number(value);
            if (!Double.isFinite(ms) || ms < 0) {
                throw new TypeConversionException("'" + value + "' must be a finite, non-negative number of ms");
            }
            return ms;
        }
    }

    /** A count: a whole number, at least 0. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return count(value, 0);
        }
    }

    /** A count: a whole number, at least 1. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return count(value, 1);
        }
    }

    private static int count(String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < min) {
            throw new TypeConversionException("'" + value + "' must be at least " + min);
        }
        return n;
    }

    /** A seed: any whole number (64 bits). */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
        }
    }

    /** A tolerance: finite and not negative. */
    static final class Tolerance implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double t = number(value);
            if (!Double.isFinite(t) || t < 0) {
                throw new TypeConversionException("'" + value + "' must be a finite, non-negative number");
            }
            return t;
        }
    }

    /** An image size, {@code WIDTHxHEIGHT} in pixels. */
    static final class ImageSize implements ITypeConverter<Size> {
        static final int MIN = 200;
        static final int MAX = 4000;

        @Override
        public Size convert(String value) {
            String[] parts = value.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
            if (parts.length != 2) {
                throw new TypeConversionException("'" + value + "' is not a size like 640x400");
            }
            int[] size = new int[2];
            for (int i = 0; i < 2; i++) {
                try {
                    size[i] = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + value + "' is not a size like 640x400");
                }
                if (size[i] < MIN || size[i] > MAX) {
                    throw new TypeConversionException("'" + value + "': width and height must lie between " + MIN
                            + " and " + MAX + " pixels");
                }
            }
            return new Size(size[0], size[1]);
        }
    }

    /** Pixels. */
    record Size(int width, int height) {
    }
}
