package org.layerlift.inference.onnx.internal;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.Part;

/**
 * Resident memory per session of all of resnet18 as one server segment, built with the weights passed one way
 * ({@code external} or {@code embedded}, the argument): one build to warm up, then {@value #SESSIONS} sessions
 * kept, and the growth of the process's VmRSS (Linux) divided by their number. One way per JVM, so neither sees
 * the other's heap. A harness, not a test; run it as docs/executor.md shows.
 */
public final class SessionMemory {

    static final int SESSIONS = 8;

    public static void main(String[] args) throws Exception {
        SessionBuilder.WeightPassing passing = args.length > 0 && args[0].equals("embedded")
                ? SessionBuilder.WeightPassing.EMBEDDED : SessionBuilder.WeightPassing.EXTERNAL_INITIALIZERS;
        SegmentModels.Model model = SegmentModels.model("resnet18");
        Part part = model.cut(List.of(new Segment(0, model.units().size() - 1))).serverParts().get(0);
        SegmentSpec spec = model.spec("resnet18/all", part);
        SessionBuilder builder = new SessionBuilder(OrtEnvironment.getEnvironment(), 1, passing);
        builder.build(spec).close();
        System.gc();
        long before = rssKiB();
        List<BuiltSession> kept = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            kept.add(builder.build(spec));
        }
        System.gc();
        Thread.sleep(500);
        System.gc();
        long grown = rssKiB() - before;
        System.out.printf("%s: %d sessions of %.1f MiB weights: +%.0f MiB resident, %.1f MiB (%.2f× weights) each%n",
                passing, SESSIONS, part.externalBytes() / 1048576.0, grown / 1024.0, grown / 1024.0 / SESSIONS,
                grown * 1024.0 / SESSIONS / part.externalBytes());
        kept.forEach(BuiltSession::close);
    }

    private static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status (Linux only)");
    }
}
