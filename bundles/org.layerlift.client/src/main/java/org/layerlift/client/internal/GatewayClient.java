package org.layerlift.client.internal;

import org.layerlift.client.ClientException;
import org.layerlift.client.ClientOptions;
import org.layerlift.client.LayerLiftClient;

/** The connection (being written). */
public final class GatewayClient {

    private GatewayClient() {}

    public static LayerLiftClient connect(ClientOptions options) throws ClientException {
        throw new ClientException("unreachable", "not written yet");
    }
}
