package org.layerlift.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One model to offload.
 *
 * @param model          the ONNX model file: weights embedded, or in external data files next to it
 * @param bandwidth      the uplink estimate the first plan uses (the client reports its measured rate when it drifts
 *                       more than 20 % from the plan's)
 * @param strategy       the installed strategy to plan this session with, or null for the gateway's configured one
 * @param device         device emulation (padding of local compute)
 * @param granularity    {@code dominator} (IONN's units, default) or {@code node}
 * @param hopTimeout     how long a server hop may take before the query re-runs locally; null: twice the local
 *                       latency of the rest of the query, at least 1 s
 * @param intraOpThreads ONNX Runtime threads for the local parts (1 = like one phone core)
 */
public record OffloadOptions(Path model, Bandwidth bandwidth, String strategy, DeviceEmulation device,
        String granularity, Duration hopTimeout, int intraOpThreads) {

    public OffloadOptions {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(bandwidth, "bandwidth");
        device = device == null ? DeviceEmulation.none() : device;
        granularity = granularity == null ? "dominator" : granularity;
        if (!granularity.equals("dominator") && !granularity.equals("node")) {
            throw new IllegalArgumentException("granularity must be 'dominator' or 'node', got '" + granularity + "'");
        }
        if (intraOpThreads < 1 || intraOpThreads > 256) {
            throw new IllegalArgumentException("intra-op threads must be 1 to 256, got " + intraOpThreads);
        }
    }

    public static OffloadOptions of(Path model, Bandwidth bandwidth) {
        return new OffloadOptions(model, bandwidth, null, null, null, null, 1);
    }

    public OffloadOptions withStrategy(String name) {
        return new OffloadOptions(model, bandwidth, name, device, granularity, hopTimeout, intraOpThreads);
    }

    public OffloadOptions withDevice(DeviceEmulation emulation) {
        return new OffloadOptions(model, bandwidth, strategy, emulation, granularity, hopTimeout, intraOpThreads);
    }

    public OffloadOptions withHopTimeout(Duration timeout) {
        return new OffloadOptions(model, bandwidth, strategy, device, granularity, timeout, intraOpThreads);
    }
}
