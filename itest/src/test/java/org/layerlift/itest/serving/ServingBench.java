package org.layerlift.itest.serving;

import ai.onnxruntime.OnnxTensor;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.Part;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;
import org.layerlift.protocol.TensorCodec;

/**
 * The serving path's speed and memory, measured against the exported gateway on loopback (docs/serving.md has the
 * command and the numbers): the gateway's overhead per hop, upload goodput into the durable store by chunk size and
 * window, the time from a partition's last byte to its ready notice, and the gateway's memory with 16 sessions.
 * A harness that prints numbers, not a test.
 */
public final class ServingBench {

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("layerlift.itest.work", "target/bench")));
        String what = args.length > 0 ? args[0] : "all";
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw"), "bench-gw");
        if (System.getProperty("bench.jfr") != null) {
            // a flight recording of the gateway, for finding where a hop's time goes
            gw.jvm("-XX:StartFlightRecording=filename=" + System.getProperty("bench.jfr") + ",settings=profile");
        }
        for (String option : System.getProperty("bench.gateway.jvm", "").split(" ")) {
            if (!option.isBlank()) {
                gw.jvm(option);
            }
        }
        gw.start();
        try {
            Serving.awaitServing(gw);
            if (what.equals("examples")) {
                examples(gw, work);
            }
            if (what.equals("all") || what.equals("hop")) {
                hop(gw, work);
            }
            if (what.equals("all") || what.equals("goodput")) {
                goodput(gw, work);
            }
            if (what.equals("all") || what.equals("memory")) {
                memory(gw, work);
            }
        } finally {
            gw.stop();
        }
    }

    /** Prints one real message of each kind, as docs/protocol.md shows them. */
    static void examples(GatewayProcess gw, Path work) throws Exception {
        try (TestModel m = new TestModel("squeezenet1_1", work, 1);
                ProtocolClient c = new ProtocolClient(gw.uri(), "phone-1")) {
            byte[] manifest = m.manifest(40, "frontier");
            System.out.println("manifest header: " + Envelope.decode(manifest).headerText());
            byte[] plan = c.call(ProtocolTopics.MANIFEST, manifest);
            System.out.println("plan: " + new String(plan, java.nio.charset.StandardCharsets.UTF_8));
            Messages.Plan p = Json.read(plan, Messages.Plan.class, "plan");
            int u = p.partitions().get(0).units().get(0);
            byte[] chunk = Uploader.chunk(p.session(), m.addresses.get(u), m.unitBytes.get(u), p.chunkBytes(), 0);
            System.out.println("chunk header: " + Envelope.decode(chunk).headerText());
            System.out.println("chunk ack: " + new String(c.call(ProtocolTopics.CHUNK, chunk),
                    java.nio.charset.StandardCharsets.UTF_8));
            System.out.println("have reply: " + new String(c.call(ProtocolTopics.HAVE, Json.write(
                    new Messages.HaveRequest(p.session()))), java.nio.charset.StandardCharsets.UTF_8));
            new Uploader(c, p.session(), p.chunkBytes(), 8).all(m);
            Messages.PlanPartition last = p.partitions().get(p.partitions().size() - 1);
            Serving.await(c, Messages.Event.PARTITION_READY, last.index(), 60_000);
            System.out.println("event: " + new String(Json.write(c.seen().get(0)), java.nio.charset.StandardCharsets.UTF_8));
            Segment g = Serving.segments(last).get(0);
            Part part = m.cut(List.of(g)).serverParts().get(0);
            List<TensorData> in = new ArrayList<>();
            for (String name : part.inputs()) {
                long[] shape = m.shapes.shape(name);
                int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                in.add(new TensorData(name, 1, shape, ByteBuffer.allocate(n * 4)));
            }
            byte[] qh = Json.write(new Messages.QueryHeader(p.session(), g.first(), g.last()));
            System.out.println("query header: " + new String(qh, java.nio.charset.StandardCharsets.UTF_8) + " + "
                    + TensorCodec.size(in) + " bytes of tensors " + in);
            Envelope reply = Envelope.decode(c.call(ProtocolTopics.QUERY, Envelope.encodeTensors(qh, in)));
            System.out.println("query reply header: " + reply.headerText() + " + " + TensorCodec.decode(reply.body()));
            System.out.println("bandwidth reply: " + new String(c.call(ProtocolTopics.BANDWIDTH, Json.write(
                    new Messages.BandwidthReport(p.session(), 10))), java.nio.charset.StandardCharsets.UTF_8)
                    .substring(0, 200) + "…");
            System.out.println("close reply: " + new String(c.call(ProtocolTopics.CLOSE, Json.write(
                    new Messages.CloseRequest(p.session()))), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double percentile(List<Double> v, double p) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[Math.min(a.length - 1, (int) Math.ceil(p * a.length) - 1)];
    }

    /** One hop with a ~1 MB activation: client round trip, the gateway's own share, raw TCP echo, raw ORT. */
    static void hop(GatewayProcess gw, Path work) throws Exception {
        try (TestModel m = new TestModel("resnet18", work, 7);
                ProtocolClient c = new ProtocolClient(gw.uri(), "bench-hop")) {
            Messages.Plan plan = Serving.open(c, m, 1000, null);
            new Uploader(c, plan.session(), plan.chunkBytes(), 8).all(m);
            // the single-unit segment whose input is nearest 1 MB (10^6 bytes)
            int best = 0;
            for (int u = 0; u < m.units.size(); u++) {
                if (Math.abs(m.units.get(u).inputBytes() - 1e6) < Math.abs(m.units.get(best).inputBytes() - 1e6)) {
                    best = u;
                }
            }
            Segment seg = new Segment(best, best);
            Part part = m.cut(List.of(seg)).serverParts().get(0);
            List<TensorData> inputs = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(1);
            for (String in : part.inputs()) {
                long[] shape = m.shapes.shape(in);
                int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    b.putFloat((float) r.nextDouble());
                }
                b.flip();
                inputs.add(new TensorData(in, 1, shape, b));
            }
            byte[] message = Envelope.encode(Json.write(new Messages.QueryHeader(plan.session(), best, best)),
                    TensorCodec.encode(inputs));
            List<Double> rtt = new ArrayList<>();
            List<Double> run = new ArrayList<>();
            List<Double> gatewayMs = new ArrayList<>();
            int replyBytes = 0;
            for (int i = 0; i < 230; i++) {
                long t0 = System.nanoTime();
                byte[] reply;
                try {
                    reply = c.request(ProtocolTopics.QUERY, message, 1).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("hop failed", e);
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                if (reply[0] == '{') {
                    Thread.sleep(100); // still loading: warm-up
                    continue;
                }
                Envelope e = Envelope.decode(reply);
                Messages.QueryReply q = Json.read(e.header(), Messages.QueryReply.class, "reply");
                replyBytes = reply.length;
                if (i >= 30) {
                    rtt.add(ms);
                    run.add(q.runMs());
                    gatewayMs.add(q.gatewayMs());
                }
            }
            List<Double> overhead = new ArrayList<>();
            for (int i = 0; i < rtt.size(); i++) {
                overhead.add(rtt.get(i) - run.get(i));
            }
            List<Double> echo = tcpEcho(message.length, replyBytes, 200);
            List<Double> mqttEcho = mqttEcho(gw, message, replyBytes, 200);
            System.out.printf("hop: unit %d (%s), request %d bytes, reply %d bytes, %d hops%n", best,
                    m.units.get(best).name(), message.length, replyBytes, rtt.size());
            System.out.printf("hop: client round trip median %.2f ms (p95 %.2f)%n", median(rtt), percentile(rtt, .95));
            System.out.printf("hop: raw ORT run (run_ms) median %.2f ms%n", median(run));
            System.out.printf("hop: inside the gateway (decode .. encode, ORT included) median %.2f ms%n",
                    median(gatewayMs));
            System.out.printf("hop: overhead = round trip - ORT: median %.2f ms (p95 %.2f), MQTT in and out through "
                    + "the broker, decode, session lookup, validation, encode%n", median(overhead),
                    percentile(overhead, .95));
            System.out.printf("hop: raw TCP echo of the same bytes (%d out, %d back): median %.2f ms%n",
                    message.length, replyBytes, median(echo));
            System.out.printf("hop: MQTT echo of the same bytes through the same broker (a bare Paho client answers "
                    + "instead of the gateway): median %.2f ms%n", median(mqttEcho));
            System.out.printf("hop: the gateway's own overhead = round trip - MQTT echo - ORT: median %.2f ms%n",
                    median(rtt) - median(mqttEcho) - median(run));
        }
    }

    /**
     * Round trips of the same request through the same broker to a bare Paho client (logged in as the gateway) that
     * answers every request with {@code back} bytes: the transport's share of a hop, without the gateway.
     */
    static List<Double> mqttEcho(GatewayProcess gw, byte[] request, int back, int rounds) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient echo = new org.eclipse.paho.mqttv5.client.MqttClient(gw.uri(),
                "bench-echo-server", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        o.setUserName(GatewayProcess.GATEWAY_USER);
        o.setPassword(GatewayProcess.GATEWAY_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        o.setSocketFactory(new NoDelay());
        echo.connect(o);
        byte[] reply = new byte[back];
        reply[0] = 'L';
        java.util.concurrent.ExecutorService answer = java.util.concurrent.Executors.newSingleThreadExecutor();
        echo.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
            new org.eclipse.paho.mqttv5.common.MqttSubscription(ProtocolTopics.request("bench-echo", "query"), 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> {
                    org.eclipse.paho.mqttv5.common.packet.MqttProperties p =
                            new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
                    p.setCorrelationData(m.getProperties().getCorrelationData());
                    String to = m.getProperties().getResponseTopic();
                    answer.execute(() -> {
                        try {
                            echo.publish(to, new org.eclipse.paho.mqttv5.common.MqttMessage(reply, 1, false, p));
                        } catch (Exception e) {
                            // the measurement times out
                        }
                    });
                }});
        List<Double> ms = new ArrayList<>();
        try (ProtocolClient c = new ProtocolClient(gw.uri(), "bench-echo")) {
            for (int i = 0; i < rounds + 30; i++) {
                long t0 = System.nanoTime();
                c.request(ProtocolTopics.QUERY, request, 1).get(30, TimeUnit.SECONDS);
                if (i >= 30) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
        } finally {
            answer.shutdownNow();
            echo.disconnect();
            echo.close();
        }
        return ms;
    }

    /** Round trips of {@code out} bytes to a loopback echo server that answers with {@code back} bytes. */
    static List<Double> tcpEcho(int out, int back, int rounds) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream();
                        OutputStream o = s.getOutputStream()) {
                    byte[] buf = new byte[out];
                    byte[] reply = new byte[back];
                    while (true) {
                        int got = 0;
                        while (got < out) {
                            int n = in.read(buf, got, out - got);
                            if (n < 0) {
                                return;
                            }
                            got += n;
                        }
                        o.write(reply);
                        o.flush();
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.start();
            List<Double> ms = new ArrayList<>();
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort())) {
                s.setTcpNoDelay(true);
                byte[] data = new byte[out];
                byte[] reply = new byte[back];
                for (int i = 0; i < rounds + 20; i++) {
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(data);
                    s.getOutputStream().flush();
                    int got = 0;
                    while (got < back) {
                        got += s.getInputStream().read(reply, got, back - got);
                    }
                    if (i >= 20) {
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
            t.join(5000);
            return ms;
        }
    }

    /** Upload goodput into the durable store by chunk size and window, and the time from last byte to ready. */
    static void goodput(GatewayProcess gw, Path work) throws Exception {
        int[] chunks = Integer.getInteger("bench.chunk", 0) > 0 ? new int[] {Integer.getInteger("bench.chunk")}
                : new int[] {256 * 1024, 1024 * 1024, 2 * 1024 * 1024, 4 * 1024 * 1024};
        int[] windows = Integer.getInteger("bench.window", 0) > 0 ? new int[] {Integer.getInteger("bench.window")}
                : new int[] {4, 8};
        long seed = 300;
        List<Double> readyMs = new ArrayList<>();
        // warm-up: one untimed upload, so that the gateway's JIT has compiled the chunk path
        try (TestModel m = new TestModel("resnet50", work, 299);
                ProtocolClient c = new ProtocolClient(gw.uri(), "bench-warm")) {
            Messages.Plan plan = Serving.open(c, m, 1000, null);
            new Uploader(c, plan.session(), 1 << 20, 8).all(m);
        }
        for (int chunk : chunks) {
            for (int window : windows) {
                try (TestModel m = new TestModel("resnet50", work, seed++);
                        ProtocolClient c = new ProtocolClient(gw.uri(), "bench-up-" + seed)) {
                    Messages.Plan plan = Serving.open(c, m, 1000, null);
                    Map<Integer, Long> lastAck = new HashMap<>();
                    List<Integer> order = new ArrayList<>();
                    plan.partitions().forEach(p -> order.addAll(p.units()));
                    for (int u = 0; u < m.units.size(); u++) {
                        if (!order.contains(u)) {
                            order.add(u);
                        }
                    }
                    Map<Integer, Integer> partitionOf = new HashMap<>();
                    for (Messages.PlanPartition p : plan.partitions()) {
                        p.units().forEach(u -> partitionOf.put(u, p.index()));
                    }
                    // the client's side (chunk hashes, envelopes) is made before the clock starts: on a real
                    // deployment it runs on the phone, here it would take CPU from the gateway on the same 2 cores
                    List<byte[]> messages = new ArrayList<>();
                    List<Integer> lastChunkOfUnit = new ArrayList<>();
                    long bytes = 0;
                    for (int u : order) {
                        if (m.addresses.get(u) == null) {
                            continue;
                        }
                        byte[] b = m.unitBytes.get(u);
                        for (int i = 0; i * (long) chunk < b.length; i++) {
                            messages.add(Uploader.chunk(plan.session(), m.addresses.get(u), b, chunk, i));
                        }
                        bytes += b.length;
                        lastChunkOfUnit.add(messages.size() - 1);
                        lastChunkOfUnit.add(u);
                    }
                    Map<Integer, Integer> unitEndingAt = new HashMap<>();
                    for (int i = 0; i < lastChunkOfUnit.size(); i += 2) {
                        unitEndingAt.put(lastChunkOfUnit.get(i), lastChunkOfUnit.get(i + 1));
                    }
                    long t0 = System.nanoTime();
                    List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
                    List<Integer> inFlightIndex = new ArrayList<>();
                    for (int i = 0; i <= messages.size(); i++) {
                        if (i < messages.size()) {
                            inFlight.add(c.request(ProtocolTopics.CHUNK, messages.get(i), 1));
                            inFlightIndex.add(i);
                        }
                        while (!inFlight.isEmpty() && (inFlight.size() >= window || i == messages.size())) {
                            byte[] reply = inFlight.remove(0).get(120, TimeUnit.SECONDS);
                            int done = inFlightIndex.remove(0);
                            if (Json.error(reply) != null) {
                                throw new IllegalStateException("chunk refused: " + Json.error(reply).message());
                            }
                            Integer u = unitEndingAt.get(done);
                            if (u != null && partitionOf.get(u) != null) {
                                lastAck.put(partitionOf.get(u), System.currentTimeMillis());
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double mbps = bytes / 1e6 / seconds;
                    double raw = rawTcpMBps(bytes);
                    System.out.printf("goodput: chunk %4d KiB window %d: %.0f MB in %.2f s = %.0f MB/s (%.2f Gbit/s); "
                            + "raw loopback TCP %.0f MB/s; ratio %.2f%n", chunk / 1024, window, bytes / 1e6, seconds,
                            mbps, mbps * 8 / 1000, raw, mbps / raw);
                    Thread.sleep(3000);
                    for (Messages.Event e : c.seen()) {
                        if (Messages.Event.PARTITION_READY.equals(e.type()) && lastAck.containsKey(e.partition())) {
                            readyMs.add((double) Math.max(0, e.timestampMs() - lastAck.get(e.partition())));
                        }
                    }
                    c.call(ProtocolTopics.CLOSE, Json.write(new Messages.CloseRequest(plan.session())));
                }
            }
        }
        if (!readyMs.isEmpty()) {
            System.out.printf("ready: last byte of a partition acknowledged -> its partition_ready notice, resnet50, "
                    + "%d partitions: median %.0f ms, p95 %.0f ms, max %.0f ms%n", readyMs.size(), median(readyMs),
                    percentile(readyMs, .95), readyMs.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
    }

    /** MB/s of a one-way loopback TCP transfer of {@code bytes}. */
    static double rawTcpMBps(long bytes) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[1 << 20];
                    long got = 0;
                    while (got < bytes) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        got += n;
                    }
                    done.complete(System.nanoTime());
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            });
            t.start();
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort())) {
                byte[] buf = new byte[1 << 20];
                long t0 = System.nanoTime();
                long sent = 0;
                while (sent < bytes) {
                    int n = (int) Math.min(buf.length, bytes - sent);
                    s.getOutputStream().write(buf, 0, n);
                    sent += n;
                }
                long end = done.get(60, TimeUnit.SECONDS);
                return bytes / 1e6 / ((end - t0) / 1e9);
            }
        }
    }

    /** The gateway's resident memory and heap with 16 resnet18 sessions, and after 1,000 queries. */
    static void memory(GatewayProcess gw, Path work) throws Exception {
        System.out.printf("memory: idle gateway: %s%n", memoryOf(gw));
        try (TestModel m = new TestModel("resnet18", work, 9)) {
            List<ProtocolClient> clients = new ArrayList<>();
            List<Messages.Plan> plans = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ProtocolClient c = new ProtocolClient(gw.uri(), "bench-mem-" + i);
                clients.add(c);
                Messages.Plan p = Serving.open(c, m, 40, null);
                plans.add(p);
                if (i == 0) {
                    new Uploader(c, p.session(), p.chunkBytes(), 8).all(m);
                }
            }
            Thread.sleep(3000);
            System.out.printf("memory: 16 sessions of resnet18 (one upload, shared): %s%n", memoryOf(gw));
            Map<String, OnnxTensor> inputs = m.inputs(2);
            List<Segment> last = Serving.segments(plans.get(1).partitions().get(plans.get(1).partitions().size() - 1));
            int done = 0;
            while (done < 1000) {
                for (int i = 0; i < 16 && done < 1000; i++) {
                    try {
                        m.offload(clients.get(i), plans.get(i).session(), last, inputs);
                    } catch (TestModel.HopRefused e) {
                        Thread.sleep(50);
                    }
                    done++;
                }
            }
            System.out.printf("memory: after 1,000 queries: %s%n", memoryOf(gw));
            for (ProtocolClient c : clients) {
                c.close();
            }
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    static String memoryOf(GatewayProcess gw) throws Exception {
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + gw.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        String heap = "?";
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(gw.pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            java.util.regex.Matcher mt = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
            if (mt.find()) {
                heap = Long.parseLong(mt.group(1)) / 1024 + " MiB heap used";
            }
        } catch (Exception e) {
            heap = "heap unknown (" + e.getMessage() + ")";
        }
        return "RSS " + rss + " MiB, " + heap + ", " + GatewayStatus.threads(gw.pid()) + " threads";
    }
}
