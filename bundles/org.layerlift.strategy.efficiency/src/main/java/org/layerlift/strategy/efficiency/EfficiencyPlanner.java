package org.layerlift.strategy.efficiency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.layerlift.api.partition.Segment;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.UnitChain;

/**
 * The seed paper's efficiency-based order, with the exact semantics of the authors' code but without its
 * O(n^4..n^5) list scans. Candidates (every sub-range of every target segment) are numbered once; a range-maximum tree
 * keeps the best score with list-order ties; the scores are float32 sums taken in the authors' order, extended
 * incrementally where their order allows it.
 *
 * <ul>
 * <li>target: the shortest path at penalty 1 - 0.999f;
 * <li>score: benefitPerUploadMs = (client time - server time) / upload time, IEEE division (U = 0 gives infinities);
 * <li>first commit: the best (client - server) - upload, only if positive;
 * <li>then repeatedly the best score above -1, descending into the best strictly smaller sub-range with a
 * positive score and a different size, committed, overlapping candidates dropped, and the candidates touching
 * the commit re-scored by their marginal gain against the offloaded ranges they would join.
 * </ul>
 */
final class EfficiencyPlanner {

    /** The authors' target plan: k = 0.999 as a float, so p = 1 - 0.999f. */
    static final float TARGET_PENALTY = 1f - 0.999f;

    private final UnitChain chain;
    private final int units;
    private final double bytesPerMs;
    private final float[] serverMs;
    private final long[] bytesBefore;

    private CandidateList list;
    private BestCandidateTree tree;
    private int[] candidateFirst;
    private int[] candidateLast;
    private float[] clientSum;
    private float[] serverPrefix;
    private boolean[] offloaded;
    private int[] blockEndAt;
    private int[] blockStartAt;
    private float[] blockServerMs;
    private int uncovered;
    private int firstCommit = BestCandidateTree.NONE;

    EfficiencyPlanner(UnitChain chain) {
        this.chain = chain;
        this.units = chain.size();
        this.bytesPerMs = chain.bytesPerMs();
        serverMs = new float[units];
        bytesBefore = new long[units + 1];
        for (int i = 0; i < units; i++) {
            serverMs[i] = chain.serverEdgeMs(i, TARGET_PENALTY);
            bytesBefore[i + 1] = bytesBefore[i] + chain.uploadBytes(i);
        }
    }

    /** The committed ranges in upload order; together they cover the target plan. */
    List<Segment> commits() {
        List<Segment> target = new ExecutionGraph(chain).shortestPath(TARGET_PENALTY).serverSegments();
        List<Segment> commits = new ArrayList<>();
        if (target.isEmpty()) {
            return commits;
        }
        setUp(target);
        int first = firstCommit;
        while (first != BestCandidateTree.NONE || uncovered > 0) {
            int chosen = first != BestCandidateTree.NONE ? first : descend(tree.best(-1f));
            first = BestCandidateTree.NONE;
            if (chosen == BestCandidateTree.NONE) {
                // the authors' code has undefined behaviour here; finish the target in one last step instead
                commits.addAll(uncoveredTarget(target));
                break;
            }
            commit(candidateFirst[chosen], candidateLast[chosen]);
            commits.add(new Segment(candidateFirst[chosen], candidateLast[chosen]));
        }
        return commits;
    }

    private void setUp(List<Segment> target) {
        list = new CandidateList(target, units);
        int count = list.count();
        candidateFirst = new int[count];
        candidateLast = new int[count];
        clientSum = new float[count];
        serverPrefix = new float[count];
        float[] score = new float[count];
        // the first commit: the best (client - server) - upload over all candidates, if positive
        float bestNet = -1f;
        for (int b = 0; b < list.blocks(); b++) {
            // by length, then first unit: the list order, so each length extends the previous length's sums
            int blockFirst = list.blockFirst(b);
            int blockLast = list.blockLast(b);
            int previous = -1;
            for (int length = 1; length <= blockLast - blockFirst + 1; length++) {
                int at = list.position(blockFirst, blockFirst + length - 1);
                for (int first = blockFirst; first + length - 1 <= blockLast; first++, at++, previous++) {
                    int last = first + length - 1;
                    candidateFirst[at] = first;
                    candidateLast[at] = last;
                    clientSum[at] = (length == 1 ? 0f : clientSum[previous]) + chain.clientMs(last);
                    serverPrefix[at] = (length == 1 ? 0f + chain.sendInputMs(first) : serverPrefix[previous])
                            + serverMs[last];
                    float gain = clientSum[at] - (serverPrefix[at] + chain.returnOutputMs(last));
                    long size = bytes(first, last);
                    score[at] = (float) (gain / (size / bytesPerMs));
                    float net = (float) ((double) (score[at] * (float) size) / bytesPerMs - size / bytesPerMs);
                    if (net > bestNet && net > 0) {
                        bestNet = net;
                        firstCommit = at;
                    }
                }
                previous = at - (blockLast - blockFirst + 1 - length + 1);
            }
        }
        tree = new BestCandidateTree(score);
        offloaded = new boolean[units];
        blockEndAt = new int[units];
        blockStartAt = new int[units];
        blockServerMs = new float[units];
        for (Segment segment : target) {
            uncovered += segment.last() - segment.first() + 1;
        }
    }

    private long bytes(int first, int last) {
        return bytesBefore[last + 1] - bytesBefore[first];
    }

    /** While a strictly smaller sub-range of a different size scores above zero, take the best such one. */
    private int descend(int chosen) {
        if (chosen == BestCandidateTree.NONE) {
            return chosen;
        }
        while (true) {
            int smaller = bestStrictlyInside(candidateFirst[chosen], candidateLast[chosen]);
            if (smaller == BestCandidateTree.NONE || !(tree.score(smaller) > 0f)) {
                return chosen;
            }
            chosen = smaller;
        }
    }

    private int bestStrictlyInside(int first, int last) {
        int firstHeavy = -1;
        int lastHeavy = -1;
        for (int unit = first; unit <= last; unit++) {
            if (chain.uploadBytes(unit) > 0) {
                lastHeavy = unit;
                if (firstHeavy < 0) {
                    firstHeavy = unit;
                }
            }
        }
        if (firstHeavy < 0) {
            return BestCandidateTree.NONE; // every part weighs the same nothing
        }
        int best = BestCandidateTree.NONE;
        for (int length = 1; length <= last - first; length++) {
            int lastStart = last - length + 1;
            // a part weighs differently exactly when it misses the first or the last weighted unit
            int missingLastHigh = Math.min(lastStart, lastHeavy - length);
            int missingFirstLow = Math.max(first, firstHeavy + 1);
            if (missingLastHigh >= missingFirstLow - 1) {
                best = bestOfStarts(first, Math.max(missingLastHigh, lastStart), length, best);
            } else {
                best = bestOfStarts(first, missingLastHigh, length, best);
                best = bestOfStarts(missingFirstLow, lastStart, length, best);
            }
        }
        return best;
    }

    private int bestOfStarts(int fromStart, int toStart, int length, int sofar) {
        if (fromStart > toStart) {
            return sofar;
        }
        int from = list.position(fromStart, fromStart + length - 1);
        return tree.bestIn(from, from + (toStart - fromStart), sofar);
    }

    private void commit(int first, int last) {
        removeOverlapping(first, last);
        for (int unit = first; unit <= last; unit++) {
            offloaded[unit] = true;
        }
        int blockStart = first > 0 && offloaded[first - 1] ? blockStartAt[first - 1] : first;
        int blockEnd = last + 1 < units && offloaded[last + 1] ? blockEndAt[last + 1] : last;
        blockEndAt[blockStart] = blockEnd;
        blockStartAt[blockEnd] = blockStart;
        blockServerMs[blockStart] = serverMs(blockStart, blockEnd);
        uncovered -= last - first + 1;
        rescoreLeftNeighbours(first, blockStart, blockEnd);
        rescoreRightNeighbours(last, blockStart, blockEnd);
    }

    /** Candidates overlapping the commit all lie in the free run around it, inside its target block. */
    private void removeOverlapping(int first, int last) {
        int block = list.blockOf(first);
        int runStart = first;
        while (runStart > list.blockFirst(block) && !offloaded[runStart - 1]) {
            runStart--;
        }
        int runEnd = last;
        while (runEnd < list.blockLast(block) && !offloaded[runEnd + 1]) {
            runEnd++;
        }
        for (int length = 1; length <= runEnd - runStart + 1; length++) {
            int fromLow = Math.max(runStart, first - length + 1);
            int fromHigh = Math.min(last, runEnd - length + 1);
            if (fromLow <= fromHigh) {
                int at = list.position(fromLow, fromLow + length - 1);
                tree.remove(at, at + (fromHigh - fromLow));
            }
        }
    }

    /** Candidates ending just before the commit, scored as if they joined the offloaded ranges around them. */
    private void rescoreLeftNeighbours(int first, int blockStart, int blockEnd) {
        int right = first - 1;
        int block = list.blockOf(right);
        if (block < 0 || offloaded[right]) {
            return;
        }
        for (int start = right; start >= list.blockFirst(block) && !offloaded[start]; start--) {
            int at = list.position(start, right);
            boolean joinsLeft = start > 0 && offloaded[start - 1];
            float before = 0f;
            float merged;
            if (joinsLeft) {
                int leftStart = blockStartAt[start - 1];
                before += blockServerMs[leftStart];
                merged = serverMs(leftStart, blockEnd);
            } else {
                float partial = serverPrefix[at];
                for (int unit = first; unit <= blockEnd; unit++) {
                    partial += serverMs[unit];
                }
                merged = partial + chain.returnOutputMs(blockEnd);
            }
            before += blockServerMs[blockStart];
            before += clientSum[at];
            tree.set(at, marginalScore(before, merged, start, right));
        }
    }

    /** Candidates starting just after the commit; the merged range grows from a fixed start, so sums extend. */
    private void rescoreRightNeighbours(int last, int blockStart, int blockEnd) {
        int left = last + 1;
        int block = list.blockOf(left);
        if (block < 0 || offloaded[left]) {
            return;
        }
        float partial = 0f + chain.sendInputMs(blockStart);
        for (int unit = blockStart; unit <= last; unit++) {
            partial += serverMs[unit];
        }
        for (int end = left; end <= list.blockLast(block) && !offloaded[end]; end++) {
            partial += serverMs[end];
            int at = list.position(left, end);
            float before = 0f + blockServerMs[blockStart];
            float merged;
            if (end + 1 < units && offloaded[end + 1]) {
                int rightEnd = blockEndAt[end + 1];
                before += blockServerMs[end + 1];
                float joined = partial;
                for (int unit = end + 1; unit <= rightEnd; unit++) {
                    joined += serverMs[unit];
                }
                merged = joined + chain.returnOutputMs(rightEnd);
            } else {
                merged = partial + chain.returnOutputMs(end);
            }
            before += clientSum[at];
            tree.set(at, marginalScore(before, merged, left, end));
        }
    }

    /** (server time of the ranges it joins + its client time - server time of the union) per upload ms. */
    private float marginalScore(float before, float merged, int first, int last) {
        float size = (float) bytes(first, last);
        return (float) ((double) (before - merged) / (size / bytesPerMs));
    }

    /** The authors' distServer: send the input, run every unit, return the output, summed in that order. */
    private float serverMs(int first, int last) {
        float sum = 0f + chain.sendInputMs(first);
        for (int unit = first; unit <= last; unit++) {
            sum += serverMs[unit];
        }
        return sum + chain.returnOutputMs(last);
    }

    private List<Segment> uncoveredTarget(List<Segment> target) {
        List<Segment> rest = new ArrayList<>();
        for (Segment segment : target) {
            int start = -1;
            for (int unit = segment.first(); unit <= segment.last() + 1; unit++) {
                boolean free = unit <= segment.last() && !offloaded[unit];
                if (free && start < 0) {
                    start = unit;
                } else if (!free && start >= 0) {
                    rest.add(new Segment(start, unit - 1));
                    start = -1;
                }
            }
        }
        Collections.reverse(rest);
        return rest;
    }
}
