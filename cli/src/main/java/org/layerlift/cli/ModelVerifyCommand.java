package org.layerlift.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.onnx.OnnxNode;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.runtime.PlanRunner;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.SurgeryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layerlift model verify}: cuts the model along seeded random plans, runs the parts one after the other with
 * ONNX Runtime and compares the outputs with the whole model's.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = LayerLiftCommand.Version.class,
        sortOptions = false,
        description = {"Cuts the model along seeded random plans (server segments over its units, some touching the "
                + "first and the last unit, some with 2 or more segments), runs the parts in order with ONNX Runtime "
                + "and prints, per plan, the largest absolute and relative difference to the whole model's outputs "
                + "on seeded random inputs. Exit code 1 when a plan exceeds the tolerance.",
                "", "Example: layerlift model verify testdata/models/squeezenet1_1.onnx --materialize --plans 5"},
        footer = {"", "Tolerance: by default max |diff| <= 1e-4; for quantized models (QuantizeLinear, "
                + "MatMulInteger, QLinear* ops or 8-bit initializers) max |diff| / max |output| <= 1e-3 instead. "
                + "--tolerance / --relative-tolerance replace the default checks (both given: both apply).",
                "Exit codes: 0 every plan within tolerance, 1 a plan exceeds it or the model is unusable, "
                        + "2 wrong command line."})
final class ModelVerifyCommand implements Callable<Integer> {

    static final double DEFAULT_ABS = 1e-4;
    static final double DEFAULT_REL_QUANTIZED = 1e-3;
    /** Above this many external weight bytes ONNX Runtime reads each part's tensors itself (no copy via Java). */
    static final long ORT_READS_ABOVE = 256L << 20;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--plans", paramLabel = "<N>", defaultValue = "10", converter = Converters.PositiveInt.class,
            description = "How many plans to cut (default: ${DEFAULT-VALUE}); fewer when the model has too few "
                    + "units for that many different plans.")
    int plans;

    @Option(names = "--seed", paramLabel = "<S>", defaultValue = "1", converter = Converters.Seed.class,
            description = "Seed of the plans, the inputs and materialised weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--materialize",
            description = "When the model's external weights file is absent: fill every external tensor with "
                    + "seeded random values in a temporary copy of the model (the model's folder is not written).")
    boolean materialize;

    @Option(names = "--tolerance", paramLabel = "<abs>", converter = Converters.Tolerance.class,
            description = "Largest allowed max |cut - whole| over the outputs (default 1e-4 for float models).")
    Double tolerance;

    @Option(names = "--relative-tolerance", paramLabel = "<r>", converter = Converters.Tolerance.class,
            description = "Largest allowed max |cut - whole| / max |whole|, per output tensor (default 1e-3 for "
                    + "quantized models).")
    Double relativeTolerance;

    @Option(names = "--threads", paramLabel = "<N>", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "ONNX Runtime intra-op threads (default 0: its own choice, all cores).")
    int threads;

    @Override
    public Integer call() {
        model.check();
        OnnxGraph graph = model.load();
        GraphShapes shapes = model.shapes(graph);
        List<List<Integer>> units = model.groups(graph);
        ModelProto proto = graph.proto();
        String name = graph.name();
        boolean quantized = isQuantized(graph);
        double abs = tolerance != null ? tolerance
                : relativeTolerance == null && !quantized ? DEFAULT_ABS : Double.POSITIVE_INFINITY;
        double rel = relativeTolerance != null ? relativeTolerance
                : tolerance == null && quantized ? DEFAULT_REL_QUANTIZED : Double.POSITIVE_INFINITY;
        List<List<Segment>> planList = VerifyPlans.plans(units.size(), plans, seed);
        PrintWriter out = spec.commandLine().getOut();
        try (ModelWeights weights = ModelWeights.resolve(model.file, proto, materialize, seed,
                ": give --materialize to fill the model's external weights with seeded random values (in a "
                        + "temporary copy)")) {
            out.printf("model %s: %d %s units, %s%n", name, units.size(), model.granularity.id(),
                    shapesLine(shapes));
            out.println("weights: " + weights.describe());
            out.println("check: " + checkLine(abs, rel, quantized));
            out.flush();
            int failed = run(out, weights, proto, name, shapes, units, planList, abs, rel);
            out.flush();
            if (failed > 0) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + failed + " of " + planList.size()
                        + " plans differ from the whole model by more than the tolerance");
                return ExitCodes.CHECK_FAILED;
            }
            return ExitCodes.OK;
        } catch (SurgeryException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private int run(PrintWriter out, ModelWeights weights, ModelProto proto, String name, GraphShapes shapes,
            List<List<Integer>> units, List<List<Segment>> planList, double abs, double rel) {
        OrtEnvironment env = Ort.environment();
        ModelCutter cutter = new ModelCutter(proto, name, shapes);
        Map<String, OnnxTensor> inputs = Map.of();
        Map<String, OnnxTensor> expected = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = Ort.options(threads);
                ExternalDataWeights data = new ExternalDataWeights(weights.model());
                PlanRunner runner = weights.externalBytes() > ORT_READS_ABOVE
                        ? PlanRunner.readingExternalData(env, options, weights.model().getParent(), 64L << 20)
                        : new PlanRunner(env, options, data, 64L << 20)) {
            inputs = RandomInputs.create(env, proto, Ort.dims(shapes), seed);
            try (OrtSession whole = env.createSession(weights.model().toString(), options);
                    OrtSession.Result result = whole.run(inputs)) {
                for (String output : cutter.modelOutputs()) {
                    expected.put(output, Outputs.copy(env, (OnnxTensor) result.get(output).orElseThrow()));
                }
            } catch (OrtException e) {
                throw Ort.failure("model " + name + " (whole)", e);
            }
            TextTable table = new TextTable().column("plan", true).column("server segments", false)
                    .column("parts", true).column("max abs", true).column("max rel", true).column("result", false);
            double worstAbs = 0;
            double worstRel = 0;
            int worstPlan = 0;
            int failed = 0;
            int multi = 0;
            int first = 0;
            int last = 0;
            for (int p = 0; p < planList.size(); p++) {
                List<Segment> segments = planList.get(p);
                CutPlan plan = cutter.cut(units, segments);
                Outputs.Difference d;
                try (PlanRunner.PlanResult result = runner.run(plan, inputs)) {
                    d = Outputs.compare(expected, result.outputs());
                } catch (OrtException e) {
                    throw Ort.failure("model " + name + ", plan " + segmentsText(segments), e);
                }
                boolean ok = d.maxAbs() <= abs && d.maxRel() <= rel;
                failed += ok ? 0 : 1;
                multi += segments.size() >= 2 ? 1 : 0;
                first += segments.get(0).first() == 0 ? 1 : 0;
                last += segments.get(segments.size() - 1).last() == units.size() - 1 ? 1 : 0;
                if (p == 0 || d.maxAbs() > worstAbs) {
                    worstPlan = p + 1;
                }
                worstAbs = Math.max(worstAbs, d.maxAbs());
                worstRel = Math.max(worstRel, d.maxRel());
                table.row(Integer.toString(p + 1), segmentsText(segments), Integer.toString(plan.parts().size()),
                        number(d.maxAbs()), number(d.maxRel()), ok ? "ok" : "ABOVE TOLERANCE");
            }
            out.print(table.render());
            out.printf("%d plans (%d with 2+ server segments, %d from unit 0, %d to unit %d): %s; worst max abs %s "
                    + "(plan %d), worst max rel %s%n", planList.size(), multi, first, last, units.size() - 1,
                    failed == 0 ? "all within tolerance" : failed + " ABOVE TOLERANCE", number(worstAbs), worstPlan,
                    number(worstRel));
            return failed;
        } catch (OrtException e) {
            throw Ort.failure("model " + name, e);
        } catch (java.io.IOException e) {
            throw new CliException("model " + name + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            expected.values().forEach(OnnxTensor::close);
        }
    }

    static String segmentsText(List<Segment> segments) {
        return segments.stream().map(s -> "[" + s.first() + ".." + s.last() + "]").collect(Collectors.joining(" "));
    }

    static String number(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.1e", v);
    }

    static String shapesLine(GraphShapes shapes) {
        return shapes.inputShapes().entrySet().stream()
                .map(e -> "input " + e.getKey() + " " + java.util.Arrays.toString(e.getValue()).replace(" ", ""))
                .collect(Collectors.joining(", "));
    }

    private static String checkLine(double abs, double rel, boolean quantized) {
        StringBuilder sb = new StringBuilder();
        if (Double.isFinite(abs)) {
            sb.append("max |cut - whole| <= ").append(number(abs));
        }
        if (Double.isFinite(rel)) {
            sb.append(sb.length() > 0 ? " and " : "").append("max |cut - whole| / max |whole| <= ").append(number(rel));
        }
        sb.append(quantized ? " (quantized model)" : " (float model)");
        return sb.toString();
    }

    private static final Set<String> QUANTIZED_OPS = Set.of("QuantizeLinear", "DequantizeLinear",
            "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "MatMulIntegerToFloat", "DynamicQuantizeMatMul",
            "QGemm", "QAttention", "QEmbedLayerNormalization");

    /** Quantized ops, or 8-bit integer initializers. */
    static boolean isQuantized(OnnxGraph graph) {
        for (OnnxNode n : graph.nodes()) {
            if (QUANTIZED_OPS.contains(n.opType()) || n.opType().startsWith("QLinear")) {
                return true;
            }
        }
        return graph.initializers().values().stream().anyMatch(t -> t.dataType() == TensorProto.DataType.INT8_VALUE
                || t.dataType() == TensorProto.DataType.UINT8_VALUE);
    }
}
