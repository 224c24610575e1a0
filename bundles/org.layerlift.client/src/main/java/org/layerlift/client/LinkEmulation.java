package org.layerlift.client;

/**
 * A mobile link emulated on the client's own socket: every byte the client sends passes one uplink token bucket and
 * every byte it receives one downlink bucket. {@link #none()} leaves the socket alone.
 *
 * @param uplink   the uplink rate, or null for no limit
 * @param downlink the downlink rate, or null for no limit
 */
public record LinkEmulation(Bandwidth uplink, Bandwidth downlink) {

    /** No shaping. */
    public static LinkEmulation none() {
        return new LinkEmulation(null, null);
    }

    /** The same rate in both directions. */
    public static LinkEmulation symmetric(Bandwidth rate) {
        return new LinkEmulation(rate, rate);
    }

    public boolean shaped() {
        return uplink != null || downlink != null;
    }
}
