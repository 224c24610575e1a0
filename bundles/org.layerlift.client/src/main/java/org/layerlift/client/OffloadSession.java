package org.layerlift.client;

import java.time.Duration;
import java.util.List;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.protocol.Messages;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One model being offloaded: the upload runs in the background in plan order (resuming after every disconnect,
 * following every new plan), and {@link #infer} answers queries at any time, thread-safe. Close it to stop the
 * upload and tell the gateway.
 */
@ProviderType
public interface OffloadSession extends AutoCloseable {

    /** The model's inputs: names, element types, shapes. */
    List<TensorSpec> inputs();

    /**
     * Answers one query: runs it locally, or runs the local parts here and the plan's server segments on the gateway,
     * whichever the plan's predictions and the partitions' arrival estimates say is faster. A hop that fails or
     * times out re-runs locally ({@link QueryResult#fallback()}); the answer is always the model's.
     *
     * @param inputs every model input, by name
     * @throws ClientException {@code bad_input} when an input is missing or of the wrong type or shape
     */
    QueryResult infer(List<TensorData> inputs) throws ClientException;

    /** The whole model run locally, unpadded: the reference answer. */
    List<TensorData> reference(List<TensorData> inputs) throws ClientException;

    /** The plan in force. */
    Messages.Plan plan();

    /** The plan the session started with. */
    Messages.Plan firstPlan();

    /** Counters and state now. */
    SessionProgress progress();

    /** Registers a listener for progress events (called on the client's threads; keep it short). */
    void addListener(SessionListener listener);

    /** Waits until every unit of the plan is on the gateway and every partition is ready; false on timeout. */
    boolean awaitUploaded(Duration timeout) throws InterruptedException;

    /**
     * The simulator's prediction for the first plan with this session's profiles and link (one link shared by the
     * upload and the queries' activations), queries raised every {@code queryIntervalMs} (0: back to back).
     */
    Prediction predict(double queryIntervalMs);

    /** Stops the upload and closes the session on the gateway (its units stay in the gateway's store). */
    @Override
    void close();
}
