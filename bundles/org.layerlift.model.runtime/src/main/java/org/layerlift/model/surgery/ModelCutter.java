package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;

/**
 * Cuts one ONNX model into the ordered client and server parts of a plan. Construct once per model (it indexes the
 * graph), then {@link #cut} any number of plans; cutting touches no weight bytes, so it is cheap.
 *
 * <p>Rules. A plan is a list of units (each a list of node indices into {@code graph.node}, the units in a
 * topological order) and disjoint ascending server {@link Segment}s over the units. The parts alternate: the client
 * units before the first segment, the first segment, the client units after it, and so on; empty client runs are
 * left out (so two adjacent segments give two server parts in a row). Each part is a self-contained model:
 * <ul>
 * <li>its inputs are the tensors its nodes consume that are produced outside it: model inputs and activations of
 * earlier parts (a tensor made two parts before is an input too: runners keep a tensor map, see
 * {@code org.layerlift.model.runtime.PlanRunner});</li>
 * <li>its outputs are the tensors its nodes produce that a later part consumes or that are model outputs;</li>
 * <li>weights never cross a cut: each part carries the initializers its own nodes use, and constant nodes (Constant,
 * and any node whose inputs are all constant, e.g. an Identity of a weight) are copied into every part that uses
 * their outputs, wherever their unit is. Nodes that are in no unit are allowed only if they are constant.</li>
 * </ul>
 * Opset imports, IR version, producer, metadata and functions are kept; cut tensors get the value info the graph
 * declares for them, or their element type with an unknown shape. Given the model's {@link GraphShapes} (one binding
 * of its inputs), a cut tensor whose declared shape is missing or not fully static gets its inferred shape instead
 * (model inputs and outputs keep their declarations), so ONNX Runtime knows every shape at a part's edges; parts
 * cut so accept only inputs of those shapes.
 */
public final class ModelCutter {

    private final ModelProto model;
    private final String modelName;
    private final GraphProto graph;
    private final List<NodeProto> nodes;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final List<String> modelInputs = new ArrayList<>();
    private final Set<String> modelInputSet = new HashSet<>();
    private final List<String> modelOutputs = new ArrayList<>();
    private final Set<String> modelOutputSet = new HashSet<>();
    private final Map<String, ValueInfoProto> valueInfos = new HashMap<>();
    private final Map<String, Integer> elemTypes;
    /** inferred shapes for one input binding, or null */
    private final GraphShapes shapes;
    /** per node: the tensors it reads, including the outer-scope names its subgraphs use */
    private final List<List<String>> consumes = new ArrayList<>();
    /** nodes whose outputs are constant (Constant, or all inputs constant): copied into each part that needs them */
    private final BitSet constant = new BitSet();

    /** @param model the whole model (weights embedded or external) */
    public ModelCutter(ModelProto model) {
        this(model, model.getGraph().getName().isEmpty() ? "model" : model.getGraph().getName());
    }

    /** @param modelName how error messages name the model (its file name, say) */
    public ModelCutter(ModelProto model, String modelName) {
        this(model, modelName, null);
    }

    /**
     * @param modelName how error messages name the model (its file name, say)
     * @param shapes the tensor shapes of this model for the input shapes the parts will run on (from
     *     {@code GraphShapes.infer} on the same model), or null: cut tensors whose graph declares no static shape
     *     get these shapes
     */
    public ModelCutter(ModelProto model, String modelName, GraphShapes shapes) {
        this.shapes = shapes;
        this.model = model;
        this.modelName = modelName;
        this.graph = model.getGraph();
        this.nodes = graph.getNodeList();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto v : graph.getInputList()) {
            valueInfos.put(v.getName(), v);
            if (!initializers.containsKey(v.getName())) {
                modelInputs.add(v.getName());
                modelInputSet.add(v.getName());
            }
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            valueInfos.put(v.getName(), v);
            modelOutputs.add(v.getName());
            modelOutputSet.add(v.getName());
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            valueInfos.putIfAbsent(v.getName(), v);
        }
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            for (String out : n.getOutputList()) {
                if (out.isEmpty()) {
                    continue;
                }
                Integer previous = producer.put(out, i);
                if (previous != null) {
                    throw new SurgeryException("model " + modelName + ": tensor '" + out + "' is produced twice, by "
                            + describeNode(previous) + " and " + describeNode(i));
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            List<String> reads = new ArrayList<>();
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    reads.add(in);
                }
            }
            Set<String> outer = new LinkedHashSet<>();
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    outerNames(a.getG(), new HashSet<>(), outer);
                }
                for (GraphProto g : a.getGraphsList()) {
                    outerNames(g, new HashSet<>(), outer);
                }
            }
            reads.addAll(outer);
            consumes.add(List.copyOf(reads));
        }
        // file order is topological in a valid model, so one pass decides constness
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (!isStandard(n) || n.getOutputCount() == 0 || NON_DETERMINISTIC.contains(n.getOpType())) {
                continue;
            }
            boolean allConstant = true;
            for (String in : consumes.get(i)) {
                Integer p = producer.get(in);
                boolean isConst = p == null ? initializers.containsKey(in) && !modelInputSet.contains(in)
                        : constant.get(p);
                if (!isConst) {
                    allConstant = false;
                    break;
                }
            }
            if (allConstant && hasNoSubgraph(n)) {
                constant.set(i);
            }
        }
        this.elemTypes = ElemTypes.of(graph);
    }

    private static final Set<String> NON_DETERMINISTIC = Set.of("RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout");

    private static boolean isStandard(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
    }

    private static boolean hasNoSubgraph(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Names a subgraph reads from enclosing scopes. */
    private static void outerNames(GraphProto g, Set<String> defined, Set<String> outer) {
        Set<String> local = new HashSet<>(defined);
        g.getInputList().forEach(v -> local.add(v.getName()));
        g.getInitializerList().forEach(t -> local.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !local.contains(in)) {
                    outer.add(in);
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    Set<String> inner = new LinkedHashSet<>();
                    outerNames(a.getG(), local, inner);
                    inner.stream().filter(x -> !local.contains(x)).forEach(outer::add);
                }
                for (GraphProto sub : a.getGraphsList()) {
                    Set<String> inner = new LinkedHashSet<>();
                    outerNames(sub, local, inner);
                    inner.stream().filter(x -> !local.contains(x)).forEach(outer::add);
                }
            }
            n.getOutputList().forEach(local::add);
        }
    }

    /** The model this cutter cuts. */
    public ModelProto model() {
        return model;
    }

    /** How messages name the model. */
    public String modelName() {
        return modelName;
    }

    /** The number of nodes in {@code graph.node}. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The model's inputs (initializers listed as graph inputs excluded), in graph order. */
    public List<String> modelInputs() {
        return Collections.unmodifiableList(modelInputs);
    }

    /** The model's outputs, in graph order. */
    public List<String> modelOutputs() {
        return Collections.unmodifiableList(modelOutputs);
    }

    /** Whether node {@code i} computes a constant (it is copied into each part that uses it). */
    public boolean isConstant(int node) {
        return constant.get(node);
    }

    /** Node-level units: each node its own unit, in file order, constant nodes left out. */
    public List<List<Integer>> nodeUnits() {
        List<List<Integer>> units = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!constant.get(i)) {
                units.add(List.of(i));
            }
        }
        return units;
    }

    String describeNode(int i) {
        NodeProto n = nodes.get(i);
        return "node " + i + " '" + n.getName() + "' (" + n.getOpType() + ")";
    }

    /**
     * Cuts a plan into its parts. Touches no weight bytes: build each part's model with
     * {@link Part#model(WeightSource)}.
     *
     * @param units the partition units in order, each a list of node indices into {@code graph.node}
     * @param segments the server segments over the units: disjoint, ascending, within range
     * @throws SurgeryException for bad units or segments, naming the unit, segment or node
     */
    public CutPlan cut(List<? extends List<Integer>> units, List<Segment> segments) {
        int[] nodeUnit = checkUnits(units);
        checkSegments(units.size(), segments);

        // part ranges over the units
        List<int[]> ranges = new ArrayList<>(); // {first, last, side}
        int next = 0;
        for (Segment s : segments) {
            if (s.first() > next) {
                ranges.add(new int[] {next, s.first() - 1, 0});
            }
            ranges.add(new int[] {s.first(), s.last(), 1});
            next = s.last() + 1;
        }
        if (next < units.size()) {
            ranges.add(new int[] {next, units.size() - 1, 0});
        }
        int[] unitPart = new int[units.size()];
        for (int p = 0; p < ranges.size(); p++) {
            for (int u = ranges.get(p)[0]; u <= ranges.get(p)[1]; u++) {
                unitPart[u] = p;
            }
        }
        int[] nodePart = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            nodePart[i] = nodeUnit[i] < 0 ? -1 : unitPart[nodeUnit[i]];
        }

        // the last part that reads each tensor produced by a non-constant node
        Map<String, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (constant.get(i)) {
                continue;
            }
            for (String in : consumes.get(i)) {
                Integer p = producer.get(in);
                if (p == null || constant.get(p)) {
                    continue;
                }
                if (nodePart[p] > nodePart[i]) {
                    throw new SurgeryException("model " + modelName + ": units are not in topological order: "
                            + describeNode(i) + " in unit " + nodeUnit[i] + " reads '" + in + "', which "
                            + describeNode(p) + " in the later unit " + nodeUnit[p] + " produces");
                }
                lastReader.merge(in, nodePart[i], Math::max);
            }
        }

        List<Part> parts = new ArrayList<>(ranges.size());
        for (int p = 0; p < ranges.size(); p++) {
            int[] r = ranges.get(p);
            parts.add(buildPart(p, r[2] == 1 ? Side.SERVER : Side.CLIENT, r[0], r[1], nodePart, lastReader));
        }
        return new CutPlan(modelName, units.size(), List.copyOf(segments), modelInputs(), modelOutputs(), parts);
    }

    private int[] checkUnits(List<? extends List<Integer>> units) {
        if (units == null || units.isEmpty()) {
            throw new SurgeryException("model " + modelName + ": no units");
        }
        int[] nodeUnit = new int[nodes.size()];
        Arrays.fill(nodeUnit, -1);
        for (int u = 0; u < units.size(); u++) {
            List<Integer> unit = units.get(u);
            if (unit == null || unit.isEmpty()) {
                throw new SurgeryException("model " + modelName + ": unit " + u + " has no nodes");
            }
            for (Integer i : unit) {
                if (i == null || i < 0 || i >= nodes.size()) {
                    throw new SurgeryException("model " + modelName + ": unit " + u + " names node " + i
                            + ", but the graph has nodes 0.." + (nodes.size() - 1));
                }
                if (nodeUnit[i] >= 0) {
                    throw new SurgeryException("model " + modelName + ": " + describeNode(i) + " is in unit "
                            + nodeUnit[i] + " and in unit " + u);
                }
                nodeUnit[i] = u;
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodeUnit[i] < 0 && !constant.get(i)) {
                throw new SurgeryException("model " + modelName + ": " + describeNode(i) + " is in no unit");
            }
        }
        return nodeUnit;
    }

    private void checkSegments(int unitCount, List<Segment> segments) {
        if (segments == null) {
            throw new SurgeryException("model " + modelName + ": no segment list");
        }
        Segment previous = null;
        for (Segment s : segments) {
            if (s == null) {
                throw new SurgeryException("model " + modelName + ": a null segment in " + segments);
            }
            if (s.last() >= unitCount) {
                throw new SurgeryException("model " + modelName + ": segment [" + s.first() + ".." + s.last()
                        + "] is out of range: the model has " + unitCount + " units (0.." + (unitCount - 1) + ")");
            }
            if (previous != null && s.first() <= previous.last()) {
                String why = s.last() >= previous.first() && s.first() <= previous.last() ? "overlap" : "are not ascending";
                throw new SurgeryException("model " + modelName + ": segments [" + previous.first() + ".."
                        + previous.last() + "] and [" + s.first() + ".." + s.last() + "] " + why);
            }
            previous = s;
        }
    }

    private Part buildPart(int index, Side side, int firstUnit, int lastUnit, int[] nodePart,
            Map<String, Integer> lastReader) {
        BitSet own = new BitSet();
        BitSet members = new BitSet();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodePart[i] == index && !constant.get(i)) {
                own.set(i);
                members.set(i);
            }
        }
        // constants: pulled in by need (own ones included), plus own constant nodes that produce model outputs
        List<Integer> work = new ArrayList<>();
        for (int i = own.nextSetBit(0); i >= 0; i = own.nextSetBit(i + 1)) {
            work.add(i);
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodePart[i] == index && constant.get(i)
                    && nodes.get(i).getOutputList().stream().anyMatch(modelOutputSet::contains)) {
                members.set(i);
                work.add(i);
            }
        }
        while (!work.isEmpty()) {
            int i = work.remove(work.size() - 1);
            for (String in : consumes.get(i)) {
                Integer p = producer.get(in);
                if (p != null && constant.get(p) && !members.get(p)) {
                    members.set(p);
                    work.add(p);
                }
            }
        }

        Set<String> produced = new HashSet<>();
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
            produced.addAll(nodes.get(i).getOutputList());
        }
        LinkedHashSet<String> reads = new LinkedHashSet<>();
        Map<String, Integer> firstReader = new HashMap<>();
        List<TensorProto> partInitializers = new ArrayList<>();
        Set<String> initializerNames = new HashSet<>();
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
            for (String in : consumes.get(i)) {
                if (produced.contains(in)) {
                    continue;
                }
                TensorProto init = initializers.get(in);
                if (init != null && !modelInputSet.contains(in)) {
                    if (initializerNames.add(in)) {
                        partInitializers.add(init);
                    }
                    continue;
                }
                Integer p = producer.get(in);
                if (p == null && !modelInputSet.contains(in)) {
                    throw new SurgeryException("model " + modelName + ": " + describeNode(i) + " reads '" + in
                            + "', which no node, initializer or model input provides");
                }
                if (reads.add(in)) {
                    firstReader.put(in, i);
                }
            }
        }
        List<String> inputs = new ArrayList<>();
        for (String in : modelInputs) {
            if (reads.contains(in)) {
                inputs.add(in);
            }
        }
        for (String in : reads) {
            if (!modelInputSet.contains(in)) {
                inputs.add(in);
            }
        }
        List<String> outputs = new ArrayList<>();
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
            for (String out : nodes.get(i).getOutputList()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (modelOutputSet.contains(out) || (!constant.get(i) && lastReader.getOrDefault(out, -1) > index)) {
                    outputs.add(out);
                }
            }
        }

        GraphProto.Builder g = GraphProto.newBuilder()
                .setName(graph.getName() + ".part" + index + "." + side.name().toLowerCase())
                .setDocString("part " + index + " (" + side.name().toLowerCase() + ", units " + firstUnit + ".."
                        + lastUnit + ") of " + modelName);
        List<Integer> nodeList = new ArrayList<>();
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
            g.addNode(nodes.get(i));
            nodeList.add(i);
        }
        g.addAllInitializer(partInitializers);
        for (String in : inputs) {
            g.addInput(valueInfo(in, index, firstReader.get(in)));
        }
        Set<String> outputSet = new HashSet<>(outputs);
        for (String out : outputs) {
            g.addOutput(valueInfo(out, index, producer.get(out)));
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            if (produced.contains(v.getName()) && !outputSet.contains(v.getName())) {
                g.addValueInfo(v);
            }
        }
        ModelProto.Builder m = model.toBuilder().clearGraph().setGraph(g);
        List<Integer> ownList = new ArrayList<>();
        for (int i = own.nextSetBit(0); i >= 0; i = own.nextSetBit(i + 1)) {
            ownList.add(i);
        }
        return new Part(modelName, index, side, firstUnit, lastUnit, List.copyOf(ownList), List.copyOf(nodeList),
                List.copyOf(inputs), List.copyOf(outputs), m.build());
    }

    private ValueInfoProto valueInfo(String name, int part, Integer node) {
        ValueInfoProto info = declaredOrTyped(name, part, node);
        if (shapes == null || modelInputSet.contains(name) || modelOutputSet.contains(name) || !shapes.has(name)
                || !info.getType().hasTensorType() || isStatic(info.getType().getTensorType())
                || shapes.dataType(name) != info.getType().getTensorType().getElemType()) {
            return info;
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : shapes.shape(name)) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        ValueInfoProto.Builder b = info.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        return b.build();
    }

    private static boolean isStatic(TypeProto.Tensor t) {
        if (!t.hasShape()) {
            return false;
        }
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                return false;
            }
        }
        return true;
    }

    private ValueInfoProto declaredOrTyped(String name, int part, Integer node) {
        ValueInfoProto declared = valueInfos.get(name);
        if (declared != null && declared.getType().hasTensorType()
                && declared.getType().getTensorType().getElemType() > 0) {
            return declared;
        }
        if (declared != null && declared.hasType() && !declared.getType().hasTensorType()) {
            return declared; // sequences, maps, optionals: as declared
        }
        Integer type = elemTypes.get(name);
        if (type == null || type <= 0) {
            throw new SurgeryException("model " + modelName + ": cannot tell the element type of tensor '" + name
                    + "' that crosses the cut at part " + part
                    + (node == null ? "" : " (next to " + describeNode(node) + ")")
                    + ": declare it in graph.value_info");
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type)))
                .build();
    }
}
