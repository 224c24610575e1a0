package org.layerlift.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.UploadPlan;

/**
 * One link for the weight upload and the queries' activations. Activations go first: the upload pauses while one is
 * in flight and resumes where it stopped, so an activation transfer always takes its bytes / bandwidth and the upload
 * gets the rest of the time. Loading still overlaps sending the next partition.
 *
 * <p>Queries run one at a time, so every activation of earlier queries is known when a query starts, and the query's
 * own transfers are recorded as it goes: while it waits for weights it sends nothing, so the arrival it waits for is
 * exact. A query being tried (route by ETA) records tentatively; {@link #rollback()} forgets, {@link #commit()} keeps.
 */
final class SharedLink implements Link {

    private final double bytesPerMs;
    private final long[] cumulativeBytes;
    private final double[] loadMs;
    private final int[] unitPartition;
    private final List<double[]> committed = new ArrayList<>();
    private final List<double[]> tentative = new ArrayList<>();
    private double[] readyMs;

    SharedLink(CostProfile profile, UploadPlan plan, double bytesPerMs, SimulationOptions options) {
        this.bytesPerMs = bytesPerMs;
        int partitions = plan.partitions().size();
        cumulativeBytes = new long[partitions];
        loadMs = new double[partitions];
        unitPartition = new int[profile.units().size()];
        Arrays.fill(unitPartition, -1);
        long sent = 0;
        double[] loads = PartitionLoads.of(profile, plan, options);
        for (int j = 0; j < partitions; j++) {
            for (int unit : plan.partitions().get(j).units()) {
                sent += profile.units().get(unit).weightBytes();
                if (unitPartition[unit] < 0) {
                    unitPartition[unit] = j;
                }
            }
            cumulativeBytes[j] = sent;
            loadMs[j] = loads[j];
        }
        for (int unit : options.unitsOnServer()) {
            unitPartition[unit] = Integer.MIN_VALUE;
        }
    }

    @Override
    public double unitReadyMs(int unit) {
        int partition = unitPartition[unit];
        if (partition == Integer.MIN_VALUE) {
            return 0;
        }
        return partition < 0 ? Double.POSITIVE_INFINITY : readyMs()[partition];
    }

    @Override
    public void activation(double startMs, double endMs) {
        if (endMs > startMs) {
            tentative.add(new double[] {startMs, endMs});
            readyMs = null;
        }
    }

    void rollback() {
        if (!tentative.isEmpty()) {
            tentative.clear();
            readyMs = null;
        }
    }

    void commit() {
        committed.addAll(tentative);
        tentative.clear();
    }

    /** Ready time of each partition given the activations recorded so far. */
    double[] readyMs() {
        if (readyMs != null) {
            return readyMs;
        }
        int partitions = cumulativeBytes.length;
        double[] ready = new double[partitions];
        int next = 0;
        double gapStart = 0;
        double uploadedMs = 0; // link time the upload has had up to gapStart
        double previous = 0;
        for (int j = 0; j < partitions; j++) {
            double needMs = cumulativeBytes[j] / bytesPerMs;
            double arrival = Double.NaN;
            while (Double.isNaN(arrival)) {
                double[] busy = next < committed.size() + tentative.size() ? interval(next) : null;
                if (busy == null) {
                    arrival = gapStart + (needMs - uploadedMs);
                } else {
                    double gap = Math.max(0, busy[0] - gapStart);
                    if (uploadedMs + gap >= needMs) {
                        arrival = gapStart + (needMs - uploadedMs);
                    } else {
                        uploadedMs += gap;
                        gapStart = Math.max(gapStart, busy[1]);
                        next++;
                    }
                }
            }
            previous = Math.max(arrival, previous) + loadMs[j];
            ready[j] = previous;
        }
        readyMs = ready;
        return ready;
    }

    private double[] interval(int k) {
        return k < committed.size() ? committed.get(k) : tentative.get(k - committed.size());
    }

    @Override
    public boolean uploadingAt(double timeMs) {
        double[] ready = readyMs();
        // the last byte leaves when the last partition is ready less its own loading
        return ready.length > 0 && timeMs < ready[ready.length - 1] - loadMs[ready.length - 1];
    }

    double doneMs() {
        double[] ready = readyMs();
        return ready.length == 0 ? 0 : ready[ready.length - 1];
    }

    /** Index of the newest partition ready at the given time, or -1. */
    int newestReadyAt(double timeMs) {
        double[] ready = readyMs();
        int newest = -1;
        for (int j = 0; j < ready.length && ready[j] <= timeMs; j++) {
            newest = j;
        }
        return newest;
    }
}
