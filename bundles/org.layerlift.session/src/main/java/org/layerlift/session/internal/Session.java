package org.layerlift.session.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.protocol.Messages.ManifestUnit;
import org.layerlift.protocol.Messages.SegmentRef;

/**
 * One client's session for one model: what it uploads, the plan in force and how far it got. Mutable state is
 * guarded by the session's monitor; nothing inside it calls out (store, executor, transport) while holding it.
 */
final class Session {

    final String id;
    final String clientId;
    /** graph + granularity + input shapes + every unit address: sessions with equal keys share executor segments */
    final String modelKey;
    final ModelLayout layout;
    final String modelName;
    final List<ManifestUnit> units;
    /** per unit; null for a unit without weights */
    final List<UnitAddress> addresses;
    final double clientOnlyMs;
    final String requestedStrategy;
    final long createdMs;

    // guarded by this
    private double bandwidthMbps;
    private UploadPlan plan;
    private int planVersion;
    private String plannedBy;
    private CostProfile profile;
    private CostProfile profiled;
    private double segmentBuildMs;
    private final BitSet complete = new BitSet();
    private final BitSet readyPartitions = new BitSet();
    private long lastActiveMs;
    private boolean closed;
    long queries;
    long failedQueries;
    long chunks;
    long bytesReceived;

    Session(String id, String clientId, String modelKey, ModelLayout layout, String modelName,
            List<ManifestUnit> units, double clientOnlyMs, String requestedStrategy, double bandwidthMbps,
            long createdMs) {
        this.id = id;
        this.clientId = clientId;
        this.modelKey = modelKey;
        this.layout = layout;
        this.modelName = modelName;
        this.units = List.copyOf(units);
        List<UnitAddress> a = new ArrayList<>();
        for (ManifestUnit u : units) {
            a.add(u.weightBytes() > 0 ? new UnitAddress(u.sha256()) : null);
        }
        this.addresses = java.util.Collections.unmodifiableList(a);
        this.clientOnlyMs = clientOnlyMs;
        this.requestedStrategy = requestedStrategy;
        this.bandwidthMbps = bandwidthMbps;
        this.createdMs = createdMs;
        this.lastActiveMs = createdMs;
        for (int u = 0; u < units.size(); u++) {
            if (addresses.get(u) == null) {
                complete.set(u); // nothing to upload
            }
        }
    }

    /** The key of a segment in the executor. */
    String segmentKey(Segment s) {
        return executorPrefix() + s.first() + "-" + s.last();
    }

    String executorPrefix() {
        return modelKey.substring(0, 32) + "/";
    }

    synchronized void touch(long nowMs) {
        lastActiveMs = Math.max(lastActiveMs, nowMs);
    }

    synchronized long lastActiveMs() {
        return lastActiveMs;
    }

    synchronized double bandwidthMbps() {
        return bandwidthMbps;
    }

    synchronized void bandwidthMbps(double mbps) {
        this.bandwidthMbps = mbps;
    }

    synchronized UploadPlan plan() {
        return plan;
    }

    synchronized int planVersion() {
        return planVersion;
    }

    synchronized String plannedBy() {
        return plannedBy;
    }

    synchronized CostProfile profile() {
        return profile;
    }

    /**
     * The cost profile plans are made with ({@code p}: its load times as this gateway's builds take them), the one
     * the gateway measured ({@code profiled}), and what each segment build costs beyond {@code p}'s figures.
     */
    synchronized void profile(CostProfile p, CostProfile profiled, double segmentBuildMs) {
        this.profile = p;
        this.profiled = profiled;
        this.segmentBuildMs = segmentBuildMs;
    }

    /** The profile as measured, without what the builds taught ({@link BuildTimes}). */
    synchronized CostProfile profiled() {
        return profiled;
    }

    /** What each segment build costs beyond the profile's figures (the plan's {@code segment_build_ms}). */
    synchronized double segmentBuildMs() {
        return segmentBuildMs;
    }

    /** Installs a new plan; partitions start not ready. */
    synchronized int newPlan(UploadPlan p, String by) {
        plan = p;
        plannedBy = by;
        planVersion++;
        readyPartitions.clear();
        return planVersion;
    }

    /** Restores a persisted plan. */
    synchronized void restorePlan(UploadPlan p, String by, int version) {
        plan = p;
        plannedBy = by;
        planVersion = version;
        readyPartitions.clear();
    }

    synchronized boolean isComplete(int unit) {
        return complete.get(unit);
    }

    synchronized BitSet complete() {
        return (BitSet) complete.clone();
    }

    synchronized void markComplete(int unit) {
        complete.set(unit);
    }

    synchronized int completeCount() {
        return complete.cardinality();
    }

    synchronized boolean allComplete(Iterable<Integer> units) {
        for (int u : units) {
            if (!complete.get(u)) {
                return false;
            }
        }
        return true;
    }

    /** Marks a partition ready under a plan version; false when the plan changed meanwhile or it was ready. */
    synchronized boolean markReady(int version, int partition) {
        if (version != planVersion || readyPartitions.get(partition)) {
            return false;
        }
        readyPartitions.set(partition);
        return true;
    }

    synchronized boolean isReady(int partition) {
        return readyPartitions.get(partition);
    }

    synchronized List<Integer> readyPartitions() {
        return readyPartitions.stream().boxed().toList();
    }

    synchronized boolean close() {
        boolean was = closed;
        closed = true;
        return !was;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** The persisted form. */
    synchronized SessionRecord record() {
        List<SessionRecord.PartitionRecord> parts = new ArrayList<>();
        if (plan != null) {
            for (Partition p : plan.partitions()) {
                parts.add(new SessionRecord.PartitionRecord(p.units(),
                        p.serverSegments().stream().map(s -> new SegmentRef(s.first(), s.last())).toList()));
            }
        }
        Map<String, List<Long>> shapes = layout.inputShapes();
        return new SessionRecord(id, clientId, modelKey, layout.graphSha256(), modelName, layout.granularity(), shapes,
                units, clientOnlyMs, requestedStrategy, bandwidthMbps, planVersion, plannedBy,
                plan == null ? EarlyQueryPolicy.LOCAL.name() : plan.earlyQueries().name(), parts, createdMs,
                lastActiveMs);
    }

    /** The plan of a record. */
    static UploadPlan plan(SessionRecord r) {
        List<Partition> parts = new ArrayList<>();
        for (SessionRecord.PartitionRecord p : r.partitions()) {
            parts.add(new Partition(p.units(), p.segments().stream().map(s -> new Segment(s.first(), s.last()))
                    .toList()));
        }
        return new UploadPlan(r.plannedBy(), parts, EarlyQueryPolicy.valueOf(r.earlyQueries()));
    }
}
