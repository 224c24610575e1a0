package org.layerlift.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.layerlift.api.store.UnitAddress;

/**
 * The messages of protocol version 1, one record each, with their JSON field names (docs/protocol.md has the schema
 * and an example of each). Compact constructors check what a receiver relies on; {@link Json#read} turns a failed
 * check into a MALFORMED error naming the field.
 */
public final class Messages {

    private Messages() {}

    /** Session ids: 32 lowercase hex digits. */
    static String requireSession(String session) {
        if (session == null || !session.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("'session' must be the 32-hex-digit id from the plan, got "
                    + (session == null ? "nothing" : "'" + clip(session) + "'"));
        }
        return session;
    }

    static String requireAddress(String field, String sha256) {
        try {
            return new UnitAddress(sha256).sha256();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "': " + e.getMessage());
        }
    }

    static double requireMs(String field, double ms) {
        if (!Double.isFinite(ms) || ms < 0) {
            throw new IllegalArgumentException("'" + field + "' must be a finite number of ms ≥ 0, got " + ms);
        }
        return ms;
    }

    static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    // ---- manifest → plan ----

    /** One unit as the client sees it: its name, weight bytes, content address and client time. */
    public record ManifestUnit(
            @JsonProperty("name") String name,
            @JsonProperty("weight_bytes") long weightBytes,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("client_ms") double clientMs) {
        public ManifestUnit {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("every unit needs a 'name'");
            }
            if (weightBytes < 0) {
                throw new IllegalArgumentException("unit '" + clip(name) + "': 'weight_bytes' is negative");
            }
            if (weightBytes > 0) {
                sha256 = requireAddress("sha256", sha256);
            } else if (sha256 != null) {
                sha256 = requireAddress("sha256", sha256);
            }
            requireMs("client_ms", clientMs);
        }
    }

    /**
     * The manifest header; the envelope body is the model graph (ONNX, weights stripped to external data).
     *
     * @param granularity "dominator" (IONN's units, default) or "node"
     * @param strategy    the strategy to plan with, or null for the gateway's configured one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(
            @JsonProperty("model_name") String modelName,
            @JsonProperty("granularity") String granularity,
            @JsonProperty("input_shapes") Map<String, List<Long>> inputShapes,
            @JsonProperty("bandwidth_mbps") double bandwidthMbps,
            @JsonProperty("strategy") String strategy,
            @JsonProperty("client_only_ms") double clientOnlyMs,
            @JsonProperty("units") List<ManifestUnit> units) {
        @com.fasterxml.jackson.annotation.JsonCreator
        static Manifest create(@JsonProperty("model_name") String modelName,
                @JsonProperty("granularity") String granularity,
                @JsonProperty("input_shapes") Map<String, List<Long>> inputShapes,
                @JsonProperty("bandwidth_mbps") Double bandwidthMbps, @JsonProperty("strategy") String strategy,
                @JsonProperty("client_only_ms") Double clientOnlyMs,
                @JsonProperty("units") List<ManifestUnit> units) {
            if (bandwidthMbps == null) {
                throw new IllegalArgumentException("'bandwidth_mbps' is missing");
            }
            return new Manifest(modelName, granularity, inputShapes, bandwidthMbps, strategy,
                    clientOnlyMs == null ? 0 : clientOnlyMs, units);
        }

        public Manifest {
            if (modelName == null || modelName.isBlank() || modelName.length() > 256) {
                throw new IllegalArgumentException("'model_name' must be 1 to 256 characters");
            }
            granularity = granularity == null ? "dominator" : granularity;
            if (!granularity.equals("dominator") && !granularity.equals("node")) {
                throw new IllegalArgumentException("'granularity' must be 'dominator' or 'node', got '"
                        + clip(granularity) + "'");
            }
            inputShapes = inputShapes == null ? Map.of() : Map.copyOf(inputShapes);
            if (!Double.isFinite(bandwidthMbps) || bandwidthMbps <= 0 || bandwidthMbps > 1e6) {
                throw new IllegalArgumentException("'bandwidth_mbps' must be > 0 and ≤ 1e6, got " + bandwidthMbps);
            }
            requireMs("client_only_ms", clientOnlyMs);
            if (units == null || units.isEmpty()) {
                throw new IllegalArgumentException("'units' must list the model's units");
            }
            if (units.size() > 100_000) {
                throw new IllegalArgumentException("'units' lists " + units.size() + " units; at most 100000");
            }
            units = List.copyOf(units);
        }
    }

    /** A server segment: units first..last inclusive. */
    public record SegmentRef(@JsonProperty("first") int first, @JsonProperty("last") int last) {
        public SegmentRef {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("bad segment [" + first + ".." + last + "]");
            }
        }
    }

    /**
     * One unit of the plan: index, address, bytes, whether the gateway holds it, and the costs the plan was made with
     * (the client's own time from the manifest, the gateway's measured run and load times, the activation sizes), so
     * that a client can replay the plan in the simulator.
     */
    public record PlanUnit(
            @JsonProperty("index") int index,
            @JsonProperty("name") String name,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("held") boolean held,
            @JsonProperty("client_ms") double clientMs,
            @JsonProperty("server_ms") double serverMs,
            @JsonProperty("load_ms") double loadMs,
            @JsonProperty("input_bytes") long inputBytes,
            @JsonProperty("output_bytes") long outputBytes) {}

    /**
     * One partition in upload order.
     *
     * @param units              the units uploaded in it (held ones are skipped by the client)
     * @param segments           the server segments queries use once it is ready
     * @param bytes              bytes still to upload for it
     * @param predictedReadyMs   when the plan expects it ready, from the plan's start
     * @param predictedLatencyMs a query's predicted latency with its segments
     * @param ready              whether it is ready now
     */
    public record PlanPartition(
            @JsonProperty("index") int index,
            @JsonProperty("units") List<Integer> units,
            @JsonProperty("segments") List<SegmentRef> segments,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("predicted_ready_ms") double predictedReadyMs,
            @JsonProperty("predicted_latency_ms") double predictedLatencyMs,
            @JsonProperty("ready") boolean ready) {}

    /** The gateway's answer to a manifest, to a bandwidth report, and in re-plan notices. */
    public record Plan(
            @JsonProperty("session") String session,
            @JsonProperty("model") String model,
            @JsonProperty("plan_version") int planVersion,
            @JsonProperty("strategy") String strategy,
            @JsonProperty("early_queries") String earlyQueries,
            @JsonProperty("bandwidth_mbps") double bandwidthMbps,
            @JsonProperty("chunk_bytes") int chunkBytes,
            @JsonProperty("bytes_to_upload") long bytesToUpload,
            @JsonProperty("bytes_held") long bytesHeld,
            @JsonProperty("local_latency_ms") double localLatencyMs,
            @JsonProperty("client_only_ms") double clientOnlyMs,
            @JsonProperty("segment_build_ms") double segmentBuildMs,
            @JsonProperty("units") List<PlanUnit> units,
            @JsonProperty("partitions") List<PlanPartition> partitions) {}

    // ---- chunks and resume ----

    /** The header of a chunk; the envelope body is the chunk's bytes. */
    public record ChunkHeader(
            @JsonProperty("session") String session,
            @JsonProperty("unit") String unit,
            @JsonProperty("index") int index,
            @JsonProperty("unit_size") long unitSize,
            @JsonProperty("chunk_bytes") int chunkBytes,
            @JsonProperty("sha256") String sha256) {
        public ChunkHeader {
            requireSession(session);
            unit = requireAddress("unit", unit);
            sha256 = requireAddress("sha256", sha256);
            if (index < 0 || unitSize <= 0 || chunkBytes <= 0) {
                throw new IllegalArgumentException("'index' must be ≥ 0 and 'unit_size', 'chunk_bytes' > 0");
            }
        }
    }

    /** A chunk is durable. */
    public record ChunkAck(
            @JsonProperty("session") String session,
            @JsonProperty("unit") String unit,
            @JsonProperty("index") int index,
            @JsonProperty("duplicate") boolean duplicate,
            @JsonProperty("chunks_held") int chunksHeld,
            @JsonProperty("chunk_count") int chunkCount,
            @JsonProperty("unit_complete") boolean unitComplete) {}

    /** "Which chunks of my session's units do you hold?" */
    public record HaveRequest(@JsonProperty("session") String session) {
        public HaveRequest {
            requireSession(session);
        }
    }

    /** What the gateway holds of one unit. */
    public record UnitHolding(
            @JsonProperty("unit") String unit,
            @JsonProperty("size") long size,
            @JsonProperty("chunk_bytes") int chunkBytes,
            @JsonProperty("complete") boolean complete,
            @JsonProperty("chunks") List<Integer> chunks) {}

    public record HaveReply(
            @JsonProperty("session") String session,
            @JsonProperty("plan_version") int planVersion,
            @JsonProperty("units") List<UnitHolding> units,
            @JsonProperty("ready_partitions") List<Integer> readyPartitions) {}

    // ---- queries ----

    /** The header of a query hop; the envelope body is a tensor block with the segment's inputs. */
    public record QueryHeader(
            @JsonProperty("session") String session,
            @JsonProperty("first") int first,
            @JsonProperty("last") int last) {
        public QueryHeader {
            requireSession(session);
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("bad segment [" + first + ".." + last + "]");
            }
        }
    }

    /** The header of a query answer; the body is a tensor block with the segment's outputs. */
    public record QueryReply(
            @JsonProperty("session") String session,
            @JsonProperty("first") int first,
            @JsonProperty("last") int last,
            @JsonProperty("run_ms") double runMs,
            @JsonProperty("gateway_ms") double gatewayMs) {}

    // ---- re-planning and closing ----

    public record BandwidthReport(
            @JsonProperty("session") String session,
            @JsonProperty("bandwidth_mbps") double bandwidthMbps) {
        public BandwidthReport {
            requireSession(session);
            if (!Double.isFinite(bandwidthMbps) || bandwidthMbps <= 0 || bandwidthMbps > 1e6) {
                throw new IllegalArgumentException("'bandwidth_mbps' must be > 0 and ≤ 1e6, got " + bandwidthMbps);
            }
        }
    }

    public record CloseRequest(@JsonProperty("session") String session) {
        public CloseRequest {
            requireSession(session);
        }
    }

    public record Closed(@JsonProperty("session") String session, @JsonProperty("closed") boolean closed) {}

    /**
     * A notice on the client's events topic.
     *
     * @param type      "partition_ready", "replan" or "session_expired"
     * @param partition the partition that became ready (partition_ready)
     * @param plan      the new plan (replan)
     * @param reason    why (replan: "strategy" or "bandwidth"; session_expired: "idle")
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(
            @JsonProperty("type") String type,
            @JsonProperty("session") String session,
            @JsonProperty("plan_version") int planVersion,
            @JsonProperty("partition") Integer partition,
            @JsonProperty("plan") Plan plan,
            @JsonProperty("reason") String reason,
            @JsonProperty("timestamp_ms") long timestampMs) {
        public static final String PARTITION_READY = "partition_ready";
        public static final String REPLAN = "replan";
        public static final String SESSION_EXPIRED = "session_expired";
    }

    // ---- errors ----

    public record ErrorBody(@JsonProperty("code") String code, @JsonProperty("message") String message) {}

    /** Every error reply: {@code {"error": {"code": "...", "message": "..."}}}. */
    public record ErrorReply(@JsonProperty("error") ErrorBody error) {
        public static ErrorReply of(ErrorCode code, String message) {
            return new ErrorReply(new ErrorBody(code.wire(), message));
        }
    }
}
