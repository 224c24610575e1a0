package org.layerlift.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputShapesTest {

    private static final OnnxGraph DYNAMIC = OnnxGraph.of(TestModels.model(13,
            List.of(TestModels.tensor("ids", DataTypes.INT64, "batch", "seq"),
                    TestModels.tensor("mask", DataTypes.INT64, "batch", "seq")),
            List.of(TestModels.tensor("z", DataTypes.INT64)), List.of(),
            List.of(TestModels.node("add", "Add", List.of("ids", "mask"), List.of("z")))), "dyn");

    @Test
    void syntaxes() {
        assertEquals("1,3,224,224", InputShapes.parse("1,3,224,224").toString());
        assertEquals("1,3,224,224", InputShapes.parse(" 1x3x224x224 ").toString());
        assertEquals("input=1,3,224,224;b=2", InputShapes.parse("input=1,3,224,224; b=2").toString());
        assertEquals("batch=1;seq=128", InputShapes.parse("batch=1,seq=128").toString());
        assertEquals("", InputShapes.parse(" ").toString());
    }

    @Test
    void dimParamsAndNamedShapesResolve() {
        Map<String, long[]> r = InputShapes.parse("batch=1,seq=128").resolve(DYNAMIC);
        assertArrayEquals(new long[] {1, 128}, r.get("ids"));
        assertArrayEquals(new long[] {1, 128}, r.get("mask"));
        r = InputShapes.parse("ids=2,7;seq=7;batch=2").resolve(DYNAMIC);
        assertArrayEquals(new long[] {2, 7}, r.get("mask"));
        assertEquals(2 * 7 * 8, GraphShapes.infer(DYNAMIC, InputShapes.parse("batch=2,seq=7")).bytes("z"));
    }

    @Test
    void badSyntaxIsNamed() {
        for (String[] bad : new String[][] {{"1,a,3", "dimension 1", "'a'"}, {"1,0,3", "must be positive"},
            {"=1,2", "no name"}, {"1,2;3,4", "more than one unnamed"}, {"x=1;x=2", "given twice"},
            {"a=1,b", "dimension 1 of 'a'", "'b'"}, {"a=1,b=2,c", "'c' is not name=value"}, {"x=", "no dimensions"}}) {
            OnnxImportException e = assertThrows(OnnxImportException.class, () -> InputShapes.parse(bad[0]));
            for (int i = 1; i < bad.length; i++) {
                assertTrue(e.getMessage().contains(bad[i]), bad[i] + " not in " + e.getMessage());
            }
            assertTrue(e.getMessage().contains("syntax"), e.getMessage());
        }
    }

    @Test
    void contradictionsAreNamed() {
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> InputShapes.parse("ids=1,5;seq=6;batch=1").resolve(DYNAMIC));
        assertTrue(e.getMessage().contains("input 'ids' dimension 1 ('seq') is bound to 6"), e.getMessage());
        e = assertThrows(OnnxImportException.class, () -> InputShapes.parse("heads=4").resolve(DYNAMIC));
        assertTrue(e.getMessage().contains("'heads'") && e.getMessage().contains("[batch, seq]"), e.getMessage());
    }
}
