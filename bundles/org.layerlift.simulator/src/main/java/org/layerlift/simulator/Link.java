package org.layerlift.simulator;

/** When a unit's weights are usable on the server, as seen by a query in progress. */
interface Link {

    /** When the unit can run on the server (0 when it was there from the start, infinity when it never arrives). */
    double unitReadyMs(int unit);

    /** A query's activation occupies the link during [startMs, endMs). */
    void activation(double startMs, double endMs);

    /** Whether the weight upload is still sending at this time (an activation then waits behind its chunks). */
    default boolean uploadingAt(double timeMs) {
        return false;
    }
}
