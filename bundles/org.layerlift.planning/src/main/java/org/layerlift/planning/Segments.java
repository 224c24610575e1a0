package org.layerlift.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.layerlift.api.partition.Segment;

/** Conversions between server segments and the sets of units they cover. */
public final class Segments {

    private Segments() {
    }

    /** @throws IllegalArgumentException if a segment leaves the chain, or segments overlap or are out of order */
    public static boolean[] mask(List<Segment> segments, int units) {
        boolean[] onServer = new boolean[units];
        int previousLast = -1;
        for (Segment segment : segments) {
            if (segment.last() >= units) {
                throw new IllegalArgumentException("segment " + segment + " leaves the " + units + "-unit chain");
            }
            if (segment.first() <= previousLast) {
                throw new IllegalArgumentException("segments overlap or are out of order: " + segments);
            }
            for (int i = segment.first(); i <= segment.last(); i++) {
                onServer[i] = true;
            }
            previousLast = segment.last();
        }
        return onServer;
    }

    public static SortedSet<Integer> units(List<Segment> segments) {
        SortedSet<Integer> units = new TreeSet<>();
        for (Segment segment : segments) {
            for (int i = segment.first(); i <= segment.last(); i++) {
                units.add(i);
            }
        }
        return units;
    }

    /** The maximal runs of consecutive units. */
    public static List<Segment> of(SortedSet<Integer> units) {
        List<Segment> segments = new ArrayList<>();
        int first = -1;
        int last = -2;
        for (int unit : units) {
            if (unit != last + 1) {
                if (first >= 0) {
                    segments.add(new Segment(first, last));
                }
                first = unit;
            }
            last = unit;
        }
        if (first >= 0) {
            segments.add(new Segment(first, last));
        }
        return segments;
    }
}
