package org.layerlift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.layerlift.simulator.PartitionTiming;
import org.layerlift.simulator.SimulationResult;

/** The results as JSON: an array with one object per profile x bandwidth x strategy (fields in docs/cli.md). */
final class ResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    /**
     * @param withBound also an object for each case's bound, after its strategies: {@code strategy} is
     *                  {@value org.layerlift.simulator.Bound#NAME} and {@code partitions} is empty (the bound uploads
     *                  nothing in order: each query picks its own plan)
     */
    static ArrayNode toJson(List<SimulatedCase> cases, boolean withBound) {
        ArrayNode array = MAPPER.createArrayNode();
        for (SimulatedCase c : cases) {
            for (SimulationResult r : withBound ? c.withBound() : c.results()) {
                boolean bound = r == c.bound();
                ObjectNode o = array.addObject();
                o.put("profile", c.label());
                double mbps = c.bandwidthMbps();
                if (mbps == Math.rint(mbps) && Math.abs(mbps) < 1e15) {
                    o.put("bandwidth_mbps", (long) mbps);
                } else {
                    o.put("bandwidth_mbps", mbps);
                }
                o.put("strategy", r.strategy());
                o.put("mean_latency_during_upload_ms", r.meanLatencyDuringUploadMs());
                o.put("mean_latency_common_window_ms", r.meanLatencyCommonWindowMs());
                o.put("time_averaged_latency_ms", r.timeAveragedLatencyMs());
                o.put("first_query_latency_ms", r.firstQueryLatencyMs());
                o.put("worst_query_over_local", r.worstQueryOverLocal());
                o.put("upload_done_ms", r.uploadDoneMs());
                ArrayNode partitions = o.putArray("partitions");
                for (PartitionTiming p : bound ? List.<PartitionTiming>of() : r.partitions()) {
                    ObjectNode po = partitions.addObject();
                    ArrayNode layers = po.putArray("layers");
                    p.layers().forEach(layers::add);
                    po.put("bytes", p.bytes());
                    po.put("ready_ms", p.readyMs());
                }
            }
        }
        return array;
    }

    static void write(Path file, List<SimulatedCase> cases, boolean withBound) {
        try {
            MAPPER.writeValue(file.toFile(), toJson(cases, withBound));
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
