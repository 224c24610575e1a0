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
        double local = clientOnlyMs;
        for (int i = 0; i < n; i++) {
            UnitCost u = units.get(i);
            tc[i] = u.clientMs();
            ts[i] = u.serverMs();
            inMs[i] = u.inputBytes() / bytesPerMs;
            outMs[i] = u.outputBytes() / bytesPerMs;
            onServer[i] = unitsOnServer.contains(i);
            loadMs[i] = onServer[i] ? 0 : u.loadMs();
            bytes[i] = onServer[i] ? 0 : u.weightBytes();
            local += tc[i];
        }
        localMs = local;
        if (!Double.isFinite(local)) {
            throw new IllegalArgumentException("model '" + profile.model() + "': local latency is not finite");
        }
    }

    /** A plan and its latency with every weight there. */
    record Plan(boolean[] server, double latencyMs) {

        List<Segment> segments() {
            List<Segment> segments = new ArrayList<>();
            int first = -1;
            for (int i = 0; i <= server.length; i++) {
                boolean on = i < server.length && server[i];
                if (on && first < 0) {
                    first = i;
                } else if (!on && first >= 0) {
                    segments.add(new Segment(first, i - 1));
                    first = -1;
                }
            }
            return segments;
        }

        boolean sameAs(Plan other) {
            return other != null && java.util.Arrays.equals(server, other.server);
        }
    }

    /**
     * The fastest plan using only units marked available, with {@code penalty} times (upload + load) added to each
     * server unit (0 for the plain latency). Ties go to the client, so a plan never holds a unit it does not need.
     */
    Plan best(boolean[] available, double penalty) {
        boolean[] serverFromServer = new boolean[n + 1];
        boolean[] clientFromServer = new boolean[n + 1];
        double c = clientOnlyMs;
        double s = INF;
        for (int i = 0; i < n; i++) {
            double returned = i > 0 ? s + outMs[i - 1] : INF;
            double nextC;
            if (returned < c) {
                nextC = returned + tc[i];
                clientFromServer[i + 1] = true;
            } else {
                nextC = c + tc[i];
            }
            double nextS = INF;
            if (available[i]) {
                double extra = ts[i] + (penalty == 0 ? 0 : penalty * (bytes[i] / bytesPerMs + loadMs[i]));
                double sent = c + inMs[i];
                if (s < sent) {
                    nextS = s + extra;
                    serverFromServer[i + 1] = true;
                } else {
                    nextS = sent + extra;
                }
            }
            c = nextC;
            s = nextS;
        }
        boolean endOnServer = s + outMs[n - 1] < c;
        boolean[] server = new boolean[n];
        boolean onS = endOnServer;
        for (int i = n; i > 0; i--) {
            // state at boundary i is onS; unit i-1 ran where that state says
            if (onS) {
                server[i - 1] = true;
                onS = serverFromServer[i];
            } else {
                onS = clientFromServer[i];
            }
        }
        return new Plan(server, latency(server));
    }

    Plan best(boolean[] available) {
        return best(available, 0);
    }

    /** Latency of a plan with every weight there, summed the way the simulator sums it. */
    double latency(boolean[] server) {
        double time = clientOnlyMs;
        for (int i = 0; i < n; i++) {
            if (!server[i]) {
                time += tc[i];
                continue;
            }
            if (i == 0 || !server[i - 1]) {
                time += inMs[i];
            }
            time += ts[i];
            if (i == n - 1 || !server[i + 1]) {
                time += outMs[i];
            }
        }
        return time;
    }

    boolean[] everything() {
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        return all;
    }
}
