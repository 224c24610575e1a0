package org.layerlift.api.partition;

/**
 * A contiguous run of units executed on the server: units {@code first..last}, both inclusive (0-based indices
 * into {@link org.layerlift.api.model.CostProfile#units()}).
 */
public record Segment(int first, int last) {

    public Segment {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad segment [" + first + ".." + last + "]");
        }
    }
}
