package org.layerlift.session.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.layerlift.protocol.Messages.ManifestUnit;
import org.layerlift.protocol.Messages.SegmentRef;

/**
 * A session as persisted in {@code sessions/<id>.json}: enough to resume it after a restart (the graph itself is
 * kept once per graph in {@code models/<graph sha256>.onnx}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SessionRecord(
        @JsonProperty("id") String id,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("model_key") String modelKey,
        @JsonProperty("graph_sha256") String graphSha256,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("granularity") String granularity,
        @JsonProperty("input_shapes") Map<String, List<Long>> inputShapes,
        @JsonProperty("units") List<ManifestUnit> units,
        @JsonProperty("client_only_ms") double clientOnlyMs,
        @JsonProperty("strategy") String requestedStrategy,
        @JsonProperty("bandwidth_mbps") double bandwidthMbps,
        @JsonProperty("plan_version") int planVersion,
        @JsonProperty("planned_by") String plannedBy,
        @JsonProperty("early_queries") String earlyQueries,
        @JsonProperty("partitions") List<PartitionRecord> partitions,
        @JsonProperty("created_ms") long createdMs,
        @JsonProperty("last_active_ms") long lastActiveMs) {

    /** One partition of the plan in force. */
    record PartitionRecord(@JsonProperty("units") List<Integer> units,
            @JsonProperty("segments") List<SegmentRef> segments) {}
}
