package com.example.layerlift.smallestfirst;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.osgi.service.component.annotations.Component;

/**
 * "smallest-first": find the units the fastest plan runs on the server once every weight is there, and upload them
 * one per partition, lightest weights first, so the first speed-ups arrive early. Each partition's plan is the
 * fastest plan over the units the server holds by then (never slower than running locally). Queries run on the
 * client until partition 1 is ready.
 *
 * <p>The {@code @Component} makes it a {@link PartitionStrategy} service named {@value #NAME}; the gateway's planner
 * picks it up when the bundle starts.
 */
@Component(service = PartitionStrategy.class, property = PartitionStrategy.NAME + "=" + SmallestFirstStrategy.NAME)
public final class SmallestFirstStrategy implements PartitionStrategy {

    public static final String NAME = "smallest-first";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public UploadPlan plan(PlanRequest request) {
        List<UnitCost> units = request.profile().units();
        double bytesPerMs = request.bandwidthMbps() * 125;   // 1 Mbps = 125,000 bytes/s
        boolean[] held = new boolean[units.size()];
        request.unitsOnServer().forEach(u -> held[u] = true);

        // what to send: the units of the fastest plan with every weight on the server, not there yet
        boolean[] everything = new boolean[units.size()];
        Arrays.fill(everything, true);
        List<Integer> toSend = new ArrayList<>();
        for (Segment s : FastestPlan.segments(units, everything, bytesPerMs)) {
            for (int u = s.first(); u <= s.last(); u++) {
                if (!held[u]) {
                    toSend.add(u);
                }
            }
        }
        toSend.sort(Comparator.comparingLong((Integer u) -> units.get(u).weightBytes()).thenComparingInt(u -> u));

        List<Partition> partitions = new ArrayList<>();
        List<Segment> now = FastestPlan.segments(units, held, bytesPerMs);
        if (!now.isEmpty()) {
            // the units the server already holds beat local: an empty first partition, ready at once, says so
            partitions.add(new Partition(List.of(), now));
        }
        for (int u : toSend) {
            held[u] = true;
            partitions.add(new Partition(List.of(u), FastestPlan.segments(units, held, bytesPerMs)));
        }
        return new UploadPlan(NAME, partitions, EarlyQueryPolicy.LOCAL);
    }
}
