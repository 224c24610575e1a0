package org.layerlift.client.internal;

/**
 * A hop that got no answer on a connection that still looks up (a dead radio link: MQTT's keep-alive needs tens of
 * seconds to notice) makes the gateway suspect: queries run locally at once, without waiting for a hop timeout each,
 * for a window of the hop's timeout, doubled with each further timeout (at most 16 times), until anything arrives
 * from the gateway again. Pure; the caller passes the clock. Thread-safe.
 */
final class HopSuspicion {

    static final int MAX_DOUBLINGS = 4;

    private long untilNs;
    private int strikes;
    private boolean suspect;

    /** A hop timed out at {@code nowNs}; {@code hopTimeoutMs} is what it waited. */
    synchronized void timedOut(long nowNs, long hopTimeoutMs) {
        long window = Math.max(1, hopTimeoutMs) << Math.min(strikes, MAX_DOUBLINGS);
        strikes++;
        suspect = true;
        untilNs = nowNs + window * 1_000_000L;
    }

    /** Something arrived from the gateway: the link works. */
    synchronized void heard() {
        strikes = 0;
        suspect = false;
    }

    /** Whether queries should skip the gateway at {@code nowNs}. */
    synchronized boolean suspect(long nowNs) {
        return suspect && nowNs - untilNs < 0;
    }
}
