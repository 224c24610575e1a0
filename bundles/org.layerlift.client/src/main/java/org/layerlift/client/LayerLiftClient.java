package org.layerlift.client;

import org.layerlift.client.internal.GatewayClient;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection to a LayerLift gateway's broker (MQTT 5). It reconnects by itself; sessions opened on it resume their
 * uploads after every reconnect. Thread-safe. Close it to disconnect.
 *
 * <pre>{@code
 * try (LayerLiftClient client = LayerLiftClient.connect(ClientOptions.of("tcp://192.168.1.2:1883", "phone-42"));
 *      OffloadSession session = client.open(OffloadOptions.of(Path.of("resnet18.onnx"), Bandwidth.parse("40mbit")))) {
 *     QueryResult r = session.infer(inputs);
 * }
 * }</pre>
 */
@ProviderType
public interface LayerLiftClient extends AutoCloseable {

    /**
     * Connects to the broker; waits up to the options' connect timeout for the first connection.
     *
     * @throws ClientException {@code unreachable} when the broker cannot be reached, {@code refused} when it refuses
     *                         the login
     */
    static LayerLiftClient connect(ClientOptions options) throws ClientException {
        return GatewayClient.connect(options);
    }

    /** This client's MQTT client id (its namespace on the gateway). */
    String clientId();

    /** Whether the MQTT connection is up now. */
    boolean isConnected();

    /**
     * Opens an offloading session for one model: loads it, measures its units on this device (or takes the emulated
     * device's times), sends the manifest and starts uploading in plan order in the background.
     *
     * @throws ClientException when the model cannot be read or the gateway refuses the manifest (with its reason code)
     */
    OffloadSession open(OffloadOptions options) throws ClientException;

    /** Closes every session opened on it (without telling the gateway) and disconnects. */
    @Override
    void close();
}
