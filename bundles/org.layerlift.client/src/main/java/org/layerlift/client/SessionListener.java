package org.layerlift.client;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives a session's events (on the client's threads: keep it short, never block). */
@ConsumerType
@FunctionalInterface
public interface SessionListener {

    void onEvent(SessionEvent event);
}
