package org.layerlift.simulator;

/**
 * One simulated query.
 *
 * @param startMs   when it started
 * @param latencyMs how long it took
 * @param plan      index of the partition whose plan it used, -1 when it ran locally
 */
public record QueryRecord(double startMs, double latencyMs, int plan) {
}
