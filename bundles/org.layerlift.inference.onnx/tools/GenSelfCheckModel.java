import ai.onnx.proto.OnnxMl.*;
import java.nio.file.*;
/**
 * Writes selfcheck.onnx (x[1,4] -> MatMul W[4,3] -> Add b[3] -> Relu -> y[1,3], opset 13). Run once with
 * java -cp tribuo-util-onnx-4.3.2.jar:protobuf-java-3.25.x.jar GenSelfCheckModel.java OUT.onnx
 */
public class GenSelfCheckModel {
  static TensorProto tensor(String name, long[] dims, float[] vals) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) t.addDims(d);
    for (float v : vals) t.addFloatData(v);
    return t.build();
  }
  static ValueInfoProto vi(String name, long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
      TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
  }
  public static void main(String[] a) throws Exception {
    float[] w = {0.5f,-1f,0.25f, 1f,0.5f,-0.5f, -0.25f,2f,1f, 0.75f,-0.5f,0.5f};
    float[] b = {0.1f,-0.2f,0.3f};
    GraphProto g = GraphProto.newBuilder().setName("layerlift-selfcheck")
      .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("x").addInput("W").addOutput("h"))
      .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("h").addInput("b").addOutput("z"))
      .addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("z").addOutput("y"))
      .addInitializer(tensor("W", new long[]{4,3}, w)).addInitializer(tensor("b", new long[]{3}, b))
      .addInput(vi("x",1,4)).addOutput(vi("y",1,3)).build();
    ModelProto m = ModelProto.newBuilder().setIrVersion(8).setProducerName("layerlift").setProducerVersion("0.1.0")
      .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    Files.write(Path.of(a[0]), m.toByteArray());
  }
}
