package org.layerlift.strategy.efficiency;

import java.util.List;
import org.layerlift.api.partition.Segment;

/**
 * Every contiguous sub-range of every target segment, numbered in the authors' list order: segments from the last
 * to the first (they collect them walking the path backwards), then by length, then by first unit. The number
 * is the tie-breaker, so it must be theirs.
 */
final class CandidateList {

    private final int[] blockFirst;
    private final int[] blockLast;
    private final int[] blockBase;
    private final int[] blockOfUnit;
    private final int count;

    CandidateList(List<Segment> targetSegments, int units) {
        int blocks = targetSegments.size();
        blockFirst = new int[blocks];
        blockLast = new int[blocks];
        blockBase = new int[blocks];
        blockOfUnit = new int[units];
        java.util.Arrays.fill(blockOfUnit, -1);
        int base = 0;
        for (int b = 0; b < blocks; b++) {
            Segment segment = targetSegments.get(blocks - 1 - b);
            blockFirst[b] = segment.first();
            blockLast[b] = segment.last();
            blockBase[b] = base;
            int length = segment.last() - segment.first() + 1;
            base += length * (length + 1) / 2;
            for (int unit = segment.first(); unit <= segment.last(); unit++) {
                blockOfUnit[unit] = b;
            }
        }
        count = base;
    }

    int count() {
        return count;
    }

    int blocks() {
        return blockFirst.length;
    }

    int blockFirst(int block) {
        return blockFirst[block];
    }

    int blockLast(int block) {
        return blockLast[block];
    }

    /** The target block holding the unit, or -1 outside the target. */
    int blockOf(int unit) {
        return unit < 0 || unit >= blockOfUnit.length ? -1 : blockOfUnit[unit];
    }

    /** Position of candidate {@code first..last}; both units must lie in one target block. */
    int position(int first, int last) {
        int block = blockOfUnit[first];
        int blockLength = blockLast[block] - blockFirst[block] + 1;
        int length = last - first + 1;
        // candidates shorter than this one: blockLength of length 1, blockLength-1 of length 2, ...
        int shorter = (length - 1) * (blockLength + 1) - (length - 1) * length / 2;
        return blockBase[block] + shorter + (first - blockFirst[block]);
    }
}
