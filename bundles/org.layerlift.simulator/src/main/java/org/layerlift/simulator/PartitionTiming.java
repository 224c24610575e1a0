package org.layerlift.simulator;

import java.util.List;

/**
 * One partition of the upload, as simulated.
 *
 * @param units   unit indices it uploads
 * @param layers  names of every profile layer it uploads
 * @param bytes   weight bytes sent
 * @param readyMs when the server can run it: bytes arrived at the link rate, then loaded
 */
public record PartitionTiming(List<Integer> units, List<String> layers, long bytes, double readyMs) {

    public PartitionTiming {
        units = List.copyOf(units);
        layers = List.copyOf(layers);
    }
}
