package org.layerlift.api.transport;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Handles messages of one subscription. The transport calls {@link #handle} on its bounded worker pool, with at most
 * a configured number of messages of one client (topic namespace) in progress at once; the handler's work counts as
 * in progress until the returned stage completes. A message over those bounds, or over the maximum payload, is not
 * queued: {@link #refused} is called at once, on the delivery thread, so that it can answer quickly.
 *
 * @since 1.1
 */
@ConsumerType
public interface MessageHandler {

    /** Handles a message; must not throw. The stage completes when the work the message started is done. */
    CompletionStage<?> handle(InboundMessage message);

    /**
     * A message the transport did not hand to {@link #handle}: {@code reason} is {@code "overloaded"} (too many in
     * progress for its client or overall) or {@code "payload_too_large"}. Must return quickly and never block.
     */
    default void refused(InboundMessage message, String reason) {
    }
}
