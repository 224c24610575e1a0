package org.layerlift.cli.loadtest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Where the CPU went during a load test: the load test's own JVM (so that it is seen not to be the bottleneck), the
 * whole machine, and the gateway process when its id is known (with its threads grouped by name: the broker's,
 * the executor's, the store's).
 *
 * @param loadtestCpuLoad    the load test JVM's mean CPU load, share of the whole machine (0..1)
 * @param loadtestCpuLoadMax its highest sample
 * @param loadtestCores      CPU time of the load test JVM per second of wall time (cores used)
 * @param machineCpuLoad     the whole machine's mean CPU load (0..1), every process
 * @param machineCores       cores of the machine
 * @param gatewayCpuS        CPU seconds the gateway process used during the run, or null when unknown
 * @param gatewayCores       of which per second of wall time, or null
 * @param gatewayThreads     the gateway's thread groups by CPU seconds, most first (empty when unknown)
 * @param gatewayWriteBytes  bytes the gateway process wrote to storage during the run, or null when unknown
 */
@JsonPropertyOrder({"loadtest_cpu_load", "loadtest_cpu_load_max", "loadtest_cores", "machine_cpu_load",
    "machine_cores", "gateway_cpu_s", "gateway_cores", "gateway_write_bytes", "gateway_threads"})
public record Usage(
        @JsonProperty("loadtest_cpu_load") double loadtestCpuLoad,
        @JsonProperty("loadtest_cpu_load_max") double loadtestCpuLoadMax,
        @JsonProperty("loadtest_cores") double loadtestCores,
        @JsonProperty("machine_cpu_load") double machineCpuLoad,
        @JsonProperty("machine_cores") int machineCores,
        @JsonProperty("gateway_cpu_s") Double gatewayCpuS,
        @JsonProperty("gateway_cores") Double gatewayCores,
        @JsonProperty("gateway_threads") List<ThreadGroupCpu> gatewayThreads,
        @JsonProperty("gateway_write_bytes") Long gatewayWriteBytes) {

    public Usage {
        gatewayThreads = gatewayThreads == null ? List.of() : List.copyOf(gatewayThreads);
    }

    /** Threads whose names differ only in digits, and their CPU seconds during the run. */
    @JsonPropertyOrder({"name", "threads", "cpu_s"})
    public record ThreadGroupCpu(@JsonProperty("name") String name, @JsonProperty("threads") int threads,
            @JsonProperty("cpu_s") double cpuS) {}
}
