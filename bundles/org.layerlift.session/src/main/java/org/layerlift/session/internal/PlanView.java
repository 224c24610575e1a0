package org.layerlift.session.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.protocol.Messages;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;

/** Turns a session's plan into the plan message: units, partitions, bytes, predicted ready times and latencies. */
final class PlanView {

    private PlanView() {}

    static Messages.Plan of(Session s, int chunkBytes) {
        UploadPlan plan;
        int version;
        CostProfile profile;
        BitSet complete;
        double bandwidth;
        List<Integer> ready;
        double buildMs;
        synchronized (s) {
            plan = s.plan();
            version = s.planVersion();
            profile = s.profile();
            complete = s.complete();
            bandwidth = s.bandwidthMbps();
            ready = s.readyPartitions();
            buildMs = s.segmentBuildMs();
        }
        List<Messages.PlanUnit> units = new ArrayList<>();
        long held = 0;
        long toUpload = 0;
        for (int u = 0; u < s.units.size(); u++) {
            Messages.ManifestUnit m = s.units.get(u);
            boolean isHeld = complete.get(u);
            UnitCost c = profile == null ? null : profile.units().get(u);
            units.add(new Messages.PlanUnit(u, m.name(), m.sha256(), m.weightBytes(), isHeld,
                    c == null ? m.clientMs() : c.clientMs(), c == null ? 0 : c.serverMs(), c == null ? 0 : c.loadMs(),
                    c == null ? 0 : c.inputBytes(), c == null ? 0 : c.outputBytes()));
            if (isHeld) {
                held += m.weightBytes();
            } else {
                toUpload += m.weightBytes();
            }
        }
        Set<Integer> heldSet = new HashSet<>(complete.stream().boxed().toList());
        double[] readyMs = new double[plan.partitions().size()];
        double local = localMs(profile);
        if (profile != null) {
            try {
                // ready when the bytes are there and this gateway has built the partition's new segments
                SimulationResult r = Simulator.simulate(profile, plan, bandwidth, SimulationOptions.reference()
                        .withUnitsOnServer(heldSet).withSegmentLoads(true).withSegmentBuildMs(buildMs), 0);
                for (int i = 0; i < readyMs.length && i < r.partitions().size(); i++) {
                    readyMs[i] = r.partitions().get(i).readyMs();
                }
                local = r.localLatencyMs();
            } catch (RuntimeException e) {
                // a plan the simulator cannot replay still serves; the predictions stay 0
            }
        }
        List<Messages.PlanPartition> partitions = new ArrayList<>();
        for (int i = 0; i < plan.partitions().size(); i++) {
            Partition p = plan.partitions().get(i);
            long bytes = 0;
            for (int u : p.units()) {
                if (!complete.get(u)) {
                    bytes += s.units.get(u).weightBytes();
                }
            }
            partitions.add(new Messages.PlanPartition(i, p.units(),
                    p.serverSegments().stream().map(g -> new Messages.SegmentRef(g.first(), g.last())).toList(),
                    bytes, readyMs[i], latencyMs(profile, p.serverSegments(), bandwidth), ready.contains(i)));
        }
        return new Messages.Plan(s.id, s.modelKey, version, plan.strategy(), plan.earlyQueries().name(), bandwidth,
                chunkBytes, toUpload, held, local, profile == null ? 0 : profile.clientOnlyMs(), buildMs, units,
                partitions);
    }

    static double localMs(CostProfile profile) {
        if (profile == null) {
            return 0;
        }
        double t = profile.clientOnlyMs();
        for (UnitCost u : profile.units()) {
            t += u.clientMs();
        }
        return t;
    }

    /** A query's latency with these server segments once their weights are loaded: compute plus transfers. */
    static double latencyMs(CostProfile profile, List<Segment> segments, double bandwidthMbps) {
        return profile == null ? 0 : Simulator.loadedLatencyMs(profile, segments, bandwidthMbps);
    }
}
