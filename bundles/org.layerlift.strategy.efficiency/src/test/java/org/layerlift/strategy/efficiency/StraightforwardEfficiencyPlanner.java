package org.layerlift.strategy.efficiency;

import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.partition.Segment;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.UnitChain;

/**
 * The efficiency plan exactly as ALGORITHMS.md describes the authors' code: a candidate list scanned again for every
 * decision and every sum taken afresh. Slow (O(n^4) and worse) but obviously faithful; the fast planner must agree
 * with it decision for decision.
 */
final class StraightforwardEfficiencyPlanner {

    private static final class Candidate {
        final int first;
        final int last;
        float score;

        Candidate(int first, int last, float score) {
            this.first = first;
            this.last = last;
            this.score = score;
        }
    }

    private final UnitChain chain;
    private final double bytesPerMs;
    private final float penalty = EfficiencyPlanner.TARGET_PENALTY;
    private final List<Segment> offloaded = new ArrayList<>(); // merged ranges, ascending

    StraightforwardEfficiencyPlanner(UnitChain chain) {
        this.chain = chain;
        this.bytesPerMs = chain.bytesPerMs();
    }

    List<Segment> commits() {
        List<Segment> target = new ExecutionGraph(chain).shortestPath(penalty).serverSegments();
        List<Candidate> candidates = new ArrayList<>();
        int uncovered = 0;
        for (int b = target.size() - 1; b >= 0; b--) {
            Segment block = target.get(b);
            uncovered += block.last() - block.first() + 1;
            for (int length = 1; length <= block.last() - block.first() + 1; length++) {
                for (int first = block.first(); first + length - 1 <= block.last(); first++) {
                    int last = first + length - 1;
                    float gain = clientMs(first, last) - serverMs(first, last);
                    candidates.add(new Candidate(first, last, (float) (gain / (bytes(first, last) / bytesPerMs))));
                }
            }
        }
        List<Segment> commits = new ArrayList<>();
        Candidate chosen = null;
        float best = -1f;
        for (Candidate c : candidates) {
            long size = bytes(c.first, c.last);
            float net = (float) ((double) (c.score * (float) size) / bytesPerMs - size / bytesPerMs);
            if (net > best && net > 0) {
                best = net;
                chosen = c;
            }
        }
        while (chosen != null || uncovered > 0) {
            if (chosen == null) {
                chosen = best(candidates, -1f, null);
                while (chosen != null) {
                    Candidate smaller = best(candidates, 0f, chosen);
                    if (smaller == null) {
                        break;
                    }
                    chosen = smaller;
                }
                if (chosen == null) {
                    commits.addAll(uncoveredTarget(target)); // as the fast planner, where the authors' is undefined
                    break;
                }
            }
            Candidate c = chosen;
            chosen = null;
            merge(c.first, c.last);
            uncovered -= c.last - c.first + 1;
            candidates.removeIf(d -> d.first <= c.last && d.last >= c.first);
            for (Candidate d : candidates) {
                if (d.first == c.last + 1 || d.last == c.first - 1) {
                    d.score = marginal(d);
                }
            }
            commits.add(new Segment(c.first, c.last));
        }
        return commits;
    }

    /** First candidate with the highest score above floor; inside {@code around}, smaller and weighing differently. */
    private Candidate best(List<Candidate> candidates, float floor, Candidate around) {
        Candidate best = null;
        float top = floor;
        for (Candidate d : candidates) {
            if (around != null && (d.first < around.first || d.last > around.last
                    || d.first == around.first && d.last == around.last
                    || bytes(d.first, d.last) == bytes(around.first, around.last))) {
                continue;
            }
            if (d.score > top) {
                top = d.score;
                best = d;
            }
        }
        return best;
    }

    private float marginal(Candidate d) {
        int first = d.first;
        int last = d.last;
        float before = 0f;
        for (Segment range : offloaded) {
            if (range.first() == d.last + 1 || range.last() == d.first - 1) {
                before += serverMs(range.first(), range.last());
                first = Math.min(first, range.first());
                last = Math.max(last, range.last());
            }
        }
        before += clientMs(d.first, d.last);
        float size = (float) bytes(d.first, d.last);
        return (float) ((double) (before - serverMs(first, last)) / (size / bytesPerMs));
    }

    private List<Segment> uncoveredTarget(List<Segment> target) {
        List<Segment> rest = new ArrayList<>();
        for (int b = target.size() - 1; b >= 0; b--) {
            List<Segment> runs = new ArrayList<>();
            int start = -1;
            for (int unit = target.get(b).first(); unit <= target.get(b).last() + 1; unit++) {
                boolean free = unit <= target.get(b).last() && !isOffloaded(unit);
                if (free && start < 0) {
                    start = unit;
                } else if (!free && start >= 0) {
                    runs.add(new Segment(start, unit - 1));
                    start = -1;
                }
            }
            for (int k = runs.size() - 1; k >= 0; k--) {
                rest.add(runs.get(k));
            }
        }
        return rest;
    }

    private boolean isOffloaded(int unit) {
        return offloaded.stream().anyMatch(range -> range.first() <= unit && unit <= range.last());
    }

    private void merge(int first, int last) {
        List<Segment> merged = new ArrayList<>();
        int lo = first;
        int hi = last;
        for (Segment range : offloaded) {
            if (range.last() == lo - 1) {
                lo = range.first();
            } else if (range.first() == hi + 1) {
                hi = range.last();
            } else {
                merged.add(range);
            }
        }
        merged.add(new Segment(lo, hi));
        merged.sort((a, b) -> Integer.compare(a.first(), b.first()));
        offloaded.clear();
        offloaded.addAll(merged);
    }

    private float clientMs(int first, int last) {
        float sum = 0f;
        for (int unit = first; unit <= last; unit++) {
            sum += chain.clientMs(unit);
        }
        return sum;
    }

    private float serverMs(int first, int last) {
        float sum = 0f + chain.sendInputMs(first);
        for (int unit = first; unit <= last; unit++) {
            sum += chain.serverEdgeMs(unit, penalty);
        }
        return sum + chain.returnOutputMs(last);
    }

    private long bytes(int first, int last) {
        long sum = 0;
        for (int unit = first; unit <= last; unit++) {
            sum += chain.uploadBytes(unit);
        }
        return sum;
    }
}
