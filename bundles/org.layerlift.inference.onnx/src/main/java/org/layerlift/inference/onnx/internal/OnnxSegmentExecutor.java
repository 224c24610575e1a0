package org.layerlift.inference.onnx.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.layerlift.api.inference.ExecutorStats;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentExecutor;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's {@link SegmentExecutor}: a {@link SegmentRuntime} configured by PID {@value #PID}, and its health
 * check. A configuration change restarts the component (no {@code @Modified}): sessions are rebuilt from specs the
 * session layer prepares again, and a pool cannot be resized under running work without surprises.
 */
@Component(
        configurationPid = OnnxSegmentExecutor.PID,
        service = {SegmentExecutor.class, HealthCheck.class},
        property = {
            HealthCheck.NAME + "=LayerLift segment executor",
            HealthCheck.TAGS + "=layerlift",
            HealthCheck.TAGS + "=inference",
            HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=0"
        })
@Designate(ocd = ExecutorConfig.class)
public final class OnnxSegmentExecutor implements SegmentExecutor, HealthCheck {

    static final String PID = "org.layerlift.inference.onnx";

    private final SegmentRuntime runtime;

    /** @throws IllegalArgumentException naming the key and value of a bad setting: the component stays inactive */
    @Activate
    public OnnxSegmentExecutor(ExecutorConfig config, @Reference(service = LoggerFactory.class) Logger log) {
        ExecutorSettings settings;
        try {
            settings = ExecutorSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error("Segment executor not started: {}", e.getMessage());
            throw e;
        }
        this.runtime = new SegmentRuntime(settings);
        log.info("Segment executor: {}", settings);
    }

    @Deactivate
    void deactivate() {
        runtime.close();
    }

    @Override
    public void prepare(SegmentSpec spec) throws SegmentException {
        runtime.prepare(spec);
    }

    @Override
    public boolean isPrepared(String key) {
        return runtime.isPrepared(key);
    }

    @Override
    public List<TensorSpec> inputs(String key) throws SegmentException {
        return runtime.inputs(key);
    }

    @Override
    public CompletionStage<List<TensorData>> run(String key, List<TensorData> inputs) {
        return runtime.run(key, inputs);
    }

    @Override
    public void release(String keyPrefix) {
        runtime.release(keyPrefix);
    }

    @Override
    public ExecutorStats stats() {
        return runtime.stats();
    }

    @Override
    public Result execute() {
        return new Result(ExecutorHealth.log(runtime.stats(), runtime.settings().queue(), runtime.timeouts(),
                runtime.nanosSinceLastTimeout()));
    }
}
