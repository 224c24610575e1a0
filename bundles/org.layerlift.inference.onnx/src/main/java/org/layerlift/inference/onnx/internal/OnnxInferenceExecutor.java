package org.layerlift.inference.onnx.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.layerlift.api.inference.InferenceExecutor;
import org.layerlift.api.inference.RuntimeCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The gateway's ONNX Runtime self-check: proves the natives load and compute. Segments run in
 * {@link OnnxSegmentExecutor}.
 */
@Component(
        service = {InferenceExecutor.class, HealthCheck.class},
        property = {
            HealthCheck.NAME + "=LayerLift ONNX Runtime",
            HealthCheck.TAGS + "=layerlift",
            HealthCheck.TAGS + "=inference"
        })
public final class OnnxInferenceExecutor implements InferenceExecutor, HealthCheck {

    private final Logger log;
    private final SelfCheck selfCheck = new SelfCheck();

    @Activate
    public OnnxInferenceExecutor(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Override
    public synchronized RuntimeCheck selfCheck() {
        RuntimeCheck check = selfCheck.run();
        if (check.ok()) {
            log.debug("{} on {} ({}): {} in {} ms", check.runtime(), check.platform(), check.providers(),
                    check.detail(), check.latencyMillis());
        } else {
            log.error("{} on {}: {}", check.runtime(), check.platform(), check.detail());
        }
        return check;
    }

    @Override
    public Result execute() {
        RuntimeCheck check = selfCheck();
        FormattingResultLog result = new FormattingResultLog();
        if (check.ok()) {
            // no latency here: the message is part of the status, which is republished only when it changes
            result.info("{} on {} with {}: {}", check.runtime(), check.platform(), check.providers(), check.detail());
        } else {
            result.critical("{} on {}: {}", check.runtime(), check.platform(), check.detail());
        }
        return new Result(result);
    }
}
