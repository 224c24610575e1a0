package org.layerlift.model.units;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;

/**
 * What {@code layerlift model inspect <model.onnx> [--input-shape ...] [--granularity dominator|node]} prints: one
 * row per partition unit with its ops, weight bytes, activation bytes (the cut after it) and FLOPs. Reads no weight
 * bytes, so it works on models whose external weight file is absent.
 */
public final class InspectTable {

    /**
     * One row.
     *
     * @param name            unit name
     * @param ops             op types with counts, in order of first appearance (e.g. "Conv x2, Relu x2, Add")
     * @param nodes           number of member nodes
     * @param weightBytes     weight bytes
     * @param activationBytes bytes crossing the cut after the unit
     * @param flops           estimated operations
     */
    public record Row(String name, String ops, int nodes, long weightBytes, long activationBytes, long flops) {
    }

    private final OnnxGraph graph;
    private final GraphShapes shapes;
    private final String granularity;
    private final List<GraphUnit> units;
    private final List<Row> rows;

    private InspectTable(OnnxGraph graph, GraphShapes shapes, String granularity, List<GraphUnit> units) {
        this.graph = graph;
        this.shapes = shapes;
        this.granularity = granularity;
        this.units = units;
        List<Row> r = new ArrayList<>();
        for (GraphUnit u : units) {
            r.add(new Row(u.name(), summarize(u.opTypes()), u.nodeIndices().size(), u.weightBytes(), u.outputBytes(),
                    u.flops()));
        }
        this.rows = List.copyOf(r);
    }

    public static InspectTable of(OnnxGraph graph, GraphShapes shapes, String granularity) {
        return new InspectTable(graph, shapes, granularity, UnitGrouping.group(graph, shapes, granularity));
    }

    /** Loads, sizes and groups a model file; {@code inputShape} in the {@link InputShapes#parse} syntax. */
    public static InspectTable inspect(Path model, String inputShape, String granularity) {
        OnnxGraph graph = OnnxGraph.load(model);
        return of(graph, GraphShapes.infer(graph, InputShapes.parse(inputShape)), granularity);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<GraphUnit> units() {
        return units;
    }

    public long totalWeightBytes() {
        return rows.stream().mapToLong(Row::weightBytes).sum();
    }

    public long totalFlops() {
        return rows.stream().mapToLong(Row::flops).sum();
    }

    /** A plain-text table with a header naming the model, its inputs and outputs, and a totals line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("model ").append(graph.name()).append(" (opset ").append(graph.opset()).append(", ")
                .append(graph.size()).append(" nodes, ").append(rows.size()).append(' ').append(granularity)
                .append(" units)\n");
        shapes.inputShapes().forEach((k, v) -> sb.append("input  ").append(k).append(' ')
                .append(dims(v)).append(' ').append(bytes(shapes.bytes(k))).append('\n'));
        for (String o : graph.outputs()) {
            sb.append("output ").append(o).append(' ').append(dims(shapes.shape(o))).append(' ')
                    .append(bytes(shapes.bytes(o))).append('\n');
        }
        String[] header = {"#", "unit", "ops", "weights", "activations", "FLOPs"};
        List<String[]> cells = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            cells.add(new String[] {Integer.toString(i), r.name(), r.ops(), bytes(r.weightBytes()),
                bytes(r.activationBytes()), flops(r.flops())});
        }
        cells.add(new String[] {"", "total", "", bytes(totalWeightBytes()), "", flops(totalFlops())});
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : cells) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        width[2] = Math.min(width[2], 60);
        appendRow(sb, header, width);
        for (String[] row : cells) {
            appendRow(sb, row, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] row, int[] width) {
        for (int c = 0; c < row.length; c++) {
            String cell = row[c].length() > width[c] ? row[c].substring(0, width[c] - 1) + "~" : row[c];
            boolean right = c == 0 || c >= 3;
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(c == 0 ? "" : "  ").append(right ? pad + cell : cell + (c == row.length - 1 ? "" : pad));
        }
        sb.append('\n');
    }

    static String summarize(List<String> ops) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        ops.forEach(o -> counts.merge(o, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((op, n) -> parts.add(n == 1 ? op : op + " x" + n));
        return String.join(", ", parts);
    }

    private static String dims(long[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    /** Bytes with a binary unit: "588.0 KiB". */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        double v = b;
        String[] unit = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < unit.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, unit[u]);
    }

    /** Operations with a decimal prefix: "1.82 G". */
    public static String flops(long f) {
        if (f < 1000) {
            return Long.toString(f);
        }
        double v = f;
        String[] unit = {"k", "M", "G", "T"};
        int u = -1;
        while (v >= 1000 && u < unit.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, unit[u]);
    }
}
