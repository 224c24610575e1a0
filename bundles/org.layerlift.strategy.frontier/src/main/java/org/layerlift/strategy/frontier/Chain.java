package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Segment;
import org.layerlift.planning.Bandwidth;

/**
 * A unit chain in double precision, as the simulator times it, with the execution-plan dynamic programs the
 * strategy needs. A plan is a server mask; its latency (weights all there) is the client-only time plus, unit by
 * unit, the client time or the server time, plus input / output transfers where a server segment opens / closes.
 *
 * <p>Every program runs over unit boundaries with two states: the activation is on the client or on the server.
 * Unit i maps them by a 2x2 min-plus matrix: client to client tc(i); server to client out(i-1)/B + tc(i); client to
 * server in(i)/B + ts(i); server to server ts(i); the server column only where unit i may run on the server.
 */
final class Chain {

    static final double INF = Double.POSITIVE_INFINITY;

    final int n;
    final double clientOnlyMs;
    final double bytesPerMs;
    final double[] tc;
    final double[] ts;
    final double[] inMs;
    final double[] outMs;
    final double[] loadMs;
    /** bytes still to upload: 0 for units already on the server */
    final long[] bytes;
    final boolean[] onServer;
    final double localMs;
    /** prefixTc[i]: client time of units [0, i); prefixTs likewise on the server */
    private final double[] prefixTc;
    private final double[] prefixTs;
    /** per unit: (bytes still to send) / bandwidth + load time; and its prefix sums */
    private final double[] uploadMs;
    private final double[] prefixUpload;
    /** per unit: output return time of the unit before (infinite for the first) */
    private final double[] backMs;
    /** scratch space of best() */
    private final byte[] choice;
    private final int[] reversed;

    Chain(CostProfile profile, double bandwidthMbps, Set<Integer> unitsOnServer) {
        bytesPerMs = Bandwidth.bytesPerMs(bandwidthMbps);
        List<UnitCost> units = profile.units();
        n = units.size();
        clientOnlyMs = profile.clientOnlyMs();
        tc = new double[n];
        ts = new double[n];
        inMs = new double[n];
        outMs = new double[n];
        loadMs = new double[n];
        bytes = new long[n];
        onServer = new boolean[n];
        prefixTc = new double[n + 1];
        prefixTs = new double[n + 1];
        uploadMs = new double[n];
        prefixUpload = new double[n + 1];
        backMs = new double[n];
        choice = new byte[n + 1];
        reversed = new int[n + 1];
        for (int i = 0; i < n; i++) {
            UnitCost u = units.get(i);
            tc[i] = u.clientMs();
            ts[i] = u.serverMs();
            inMs[i] = u.inputBytes() / bytesPerMs;
            outMs[i] = u.outputBytes() / bytesPerMs;
            onServer[i] = unitsOnServer.contains(i);
            loadMs[i] = onServer[i] ? 0 : u.loadMs();
            bytes[i] = onServer[i] ? 0 : u.weightBytes();
            uploadMs[i] = bytes[i] / bytesPerMs + loadMs[i];
            prefixUpload[i + 1] = prefixUpload[i] + uploadMs[i];
            backMs[i] = i > 0 ? outMs[i - 1] : INF;
            prefixTc[i + 1] = prefixTc[i] + tc[i];
            prefixTs[i + 1] = prefixTs[i] + ts[i];
        }
        localMs = latency(new int[0]);
        if (!Double.isFinite(localMs)) {
            throw new IllegalArgumentException("model '" + profile.model() + "': local latency is not finite");
        }
    }

    /**
     * A plan and its latency with every weight there: its server segments as (first, last) pairs, in chain order,
     * never adjacent.
     */
    record Plan(int[] segments, double latencyMs) {

        List<Segment> segmentList() {
            List<Segment> list = new ArrayList<>(segments.length / 2);
            for (int k = 0; k < segments.length; k += 2) {
                list.add(new Segment(segments[k], segments[k + 1]));
            }
            return list;
        }

        /** The plan as a server mask over n units. */
        boolean[] server(int n) {
            boolean[] server = new boolean[n];
            for (int k = 0; k < segments.length; k += 2) {
                java.util.Arrays.fill(server, segments[k], segments[k + 1] + 1, true);
            }
            return server;
        }

        boolean sameAs(Plan other) {
            return other != null && java.util.Arrays.equals(segments, other.segments);
        }

        /** Server segments as (first, last) pairs of a mask. */
        static int[] segmentsOf(boolean[] server) {
            int count = 0;
            for (int i = 0; i < server.length; i++) {
                if (server[i] && (i == 0 || !server[i - 1])) {
                    count++;
                }
            }
            int[] segments = new int[2 * count];
            int k = 0;
            for (int i = 0; i < server.length; i++) {
                if (server[i] && (i == 0 || !server[i - 1])) {
                    segments[k] = i;
                }
                if (server[i] && (i == server.length - 1 || !server[i + 1])) {
                    segments[k + 1] = i;
                    k += 2;
                }
            }
            return segments;
        }
    }

    /**
     * The fastest plan using only units marked available, with {@code penalty} times (upload + load) added to each
     * server unit (0 for the plain latency). Ties go to the client, so a plan never holds a unit it does not need.
     * O(n); not thread-safe (scratch space), like the rest of a planning call.
     */
    Plan best(boolean[] available, double penalty) {
        byte[] choice = this.choice;
        double c = clientOnlyMs;
        double s = INF;
        for (int i = 0; i < n; i++) {
            // bit 0: the client state at boundary i + 1 came from the server; bit 1: the server state from the server
            int bits = 0;
            double returned = s + backMs[i];
            double nextC;
            if (returned < c) {
                nextC = returned + tc[i];
                bits = 1;
            } else {
                nextC = c + tc[i];
            }
            double nextS = INF;
            if (available[i]) {
                double extra = penalty == 0 ? ts[i] : ts[i] + penalty * uploadMs[i];
                double sent = c + inMs[i];
                if (s < sent) {
                    nextS = s + extra;
                    bits |= 2;
                } else {
                    nextS = sent + extra;
                }
            }
            choice[i + 1] = (byte) bits;
            c = nextC;
            s = nextS;
        }
        boolean onS = s + outMs[n - 1] < c;
        // walk back, collecting segments last to first
        int[] reversed = this.reversed;
        int count = 0;
        int end = -1;
        for (int i = n; i > 0; i--) {
            // the state at boundary i is onS; unit i-1 ran there
            if (onS) {
                if (end < 0) {
                    end = i - 1;
                }
                onS = (choice[i] & 2) != 0;
                if (!onS) {
                    reversed[count++] = end;
                    reversed[count++] = i - 1;
                    end = -1;
                }
            } else {
                onS = (choice[i] & 1) != 0;
            }
        }
        if (end >= 0) {
            reversed[count++] = end;
            reversed[count++] = 0;
        }
        int[] segments = new int[count];
        for (int k = 0; k < count; k++) {
            segments[k] = reversed[count - 1 - k];
        }
        return new Plan(segments, latency(segments));
    }

    /** Upload + load time of a plan's server units. */
    double uploadMs(Plan plan) {
        int[] segments = plan.segments();
        double ms = 0;
        for (int k = 0; k < segments.length; k += 2) {
            ms += prefixUpload[segments[k + 1] + 1] - prefixUpload[segments[k]];
        }
        return ms;
    }

    Plan best(boolean[] available) {
        return best(available, 0);
    }

    /**
     * Latency of a plan with every weight there, from its server segments: O(segments) with prefix sums of the unit
     * times (equal to the simulator's unit-by-unit sum up to rounding).
     */
    double latency(int[] segments) {
        double time = clientOnlyMs;
        int next = 0;
        for (int k = 0; k < segments.length; k += 2) {
            int first = segments[k];
            int last = segments[k + 1];
            time += prefixTc[first] - prefixTc[next];
            time += inMs[first] + (prefixTs[last + 1] - prefixTs[first]) + outMs[last];
            next = last + 1;
        }
        return time + (prefixTc[n] - prefixTc[next]);
    }

    /** Client time of units [from, to). */
    double clientMs(int from, int to) {
        return prefixTc[to] - prefixTc[from];
    }

    /** Server time of units [from, to). */
    double serverMs(int from, int to) {
        return prefixTs[to] - prefixTs[from];
    }

    boolean[] everything() {
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        return all;
    }
}
