package org.layerlift.session.internal;

import org.layerlift.protocol.Messages;

/** Where session notices go: the client's events topic. Must not block. */
interface EventSink {

    void send(String clientId, Messages.Event event);
}
