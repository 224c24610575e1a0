package org.layerlift.gateway.internal;

import java.util.stream.Collectors;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.inference.InferenceExecutor;
import org.layerlift.api.inference.RuntimeCheck;
import org.layerlift.api.inference.SegmentExecutor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands: {@code layerlift:status}, {@code layerlift:health}, {@code layerlift:ort} (the self-check) and
 * {@code layerlift:ort <model.onnx> [runs]} (a model through the gateway's executor, timed).
 */
@Component(service = GatewayCommands.class, property = {
    "osgi.command.scope=layerlift",
    "osgi.command.function=status",
    "osgi.command.function=health",
    "osgi.command.function=ort"
})
public final class GatewayCommands {

    private final GatewayStatusService status;
    private final InferenceExecutor inference;
    private final SegmentExecutor segments;

    @Activate
    public GatewayCommands(@Reference GatewayStatusService status,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            InferenceExecutor inference,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            SegmentExecutor segments) {
        this.status = status;
        this.inference = inference;
        this.segments = segments;
    }

    /** Bundles that are not active and components that are not active, with reasons; then health. */
    public String status() {
        GatewayStatus s = status.refreshNow();
        StringBuilder out = new StringBuilder();
        out.append("LayerLift gateway ").append(s.version()).append(" — health ").append(s.health()).append('\n');
        long active = s.bundles().stream().filter(b -> b.state().equals("ACTIVE")).count();
        out.append("bundles: ").append(active).append(" active of ").append(s.bundles().size()).append('\n');
        s.bundles().stream().filter(b -> !b.state().equals("ACTIVE"))
                .forEach(b -> out.append("  ").append(b.id()).append(' ').append(b.symbolicName()).append(' ')
                        .append(b.state()).append('\n'));
        out.append("components:\n");
        s.components().forEach(c -> out.append("  ").append(String.format("%-26s", c.state())).append(c.name())
                .append(c.reason() == null ? "" : " — " + c.reason()).append('\n'));
        if (!s.problems().isEmpty()) {
            out.append("problems:\n");
            s.problems().forEach(p -> out.append("  ").append(p).append('\n'));
        }
        return out.append(health(s)).toString();
    }

    public String health() {
        return health(status.refreshNow());
    }

    private static String health(GatewayStatus s) {
        return "health checks:\n" + s.checks().stream()
                .map(c -> "  " + String.format("%-24s", c.status()) + c.name() + ": " + c.message())
                .collect(Collectors.joining("\n")) + "\n";
    }

    /** {@code layerlift:ort <model.onnx>}: the model through the gateway's executor, timed (3 runs). */
    public String ort(String model) {
        return ort(model, 3);
    }

    /** {@code layerlift:ort <model.onnx> <runs>}. */
    public String ort(String model, int runs) {
        if (segments == null) {
            return "no segment executor is running (is org.layerlift.inference.onnx installed?)\n";
        }
        return ModelRun.run(segments, model, runs);
    }

    /** Runs the built-in model through ONNX Runtime and prints what happened. */
    public String ort() {
        if (inference == null) {
            return "no inference executor is running (is org.layerlift.inference.onnx installed?)\n";
        }
        RuntimeCheck c = inference.selfCheck();
        return String.format("%s on %s, providers %s: %s — %s (%.3f ms)%n", c.runtime(), c.platform(),
                c.providers(), c.ok() ? "OK" : "FAILED", c.detail(), c.latencyMillis());
    }
}
