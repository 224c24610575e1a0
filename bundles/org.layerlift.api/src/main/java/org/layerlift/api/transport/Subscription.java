package org.layerlift.api.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live subscription; the transport keeps it across reconnects until it is closed.
 *
 * @since 1.1
 */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** The topic filter. */
    String filter();

    /** Unsubscribes; messages in progress finish. */
    @Override
    void close();
}
