package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.layerlift.api.inference.TensorData;
import org.layerlift.cli.offload.QueryInputs;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.ClientException;
import org.layerlift.client.ClientOptions;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.client.LayerLiftClient;
import org.layerlift.client.LinkEmulation;
import org.layerlift.client.OffloadOptions;
import org.layerlift.client.OffloadSession;
import org.layerlift.client.QueryResult;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.Materializer;

/**
 * One client of the fault tests, driven through the client library: its own client id, model copy (seeded weights)
 * and emulated link, a query every {@code pauseMs} on a thread of its own, every answer compared with the whole model
 * run locally ({@code reference}), every event kept with the test's clock. Every wait has a deadline.
 */
final class FaultClient implements AutoCloseable {

    /** The CLI's tolerance for "the same answer". */
    static final double TOLERANCE = 1e-4;

    /** One answered query: when it started on the test's clock, what the library said, how far from the reference. */
    record Answer(double atMs, QueryResult result, double diff) {
        boolean correct() {
            return diff <= TOLERANCE;
        }

        double endMs() {
            return atMs + result.latencyMs();
        }
    }

    /** An event with the test's clock. */
    record Seen(double atMs, SessionEvent event) {}

    final String clientId;
    private final long epochNs;
    private final LayerLiftClient client;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<Seen> events = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final long pauseMs;
    private final Path model;
    private final OffloadOptions offload;
    private volatile OffloadSession session;
    private volatile List<List<TensorData>> inputs;
    private volatile List<List<TensorData>> references;
    private volatile boolean stopQueries;
    private volatile double openedAtMs;
    private Thread queries;

    /**
     * Connects; {@link #open} starts the session.
     *
     * @param epochNs the test's clock zero ({@code System.nanoTime()})
     */
    FaultClient(long epochNs, String uri, String clientId, Path work, String modelName, long seed, String bandwidth,
            double slowdown, String strategy, long pauseMs) throws Exception {
        this.epochNs = epochNs;
        this.clientId = clientId;
        this.pauseMs = pauseMs;
        Path dir = Files.createDirectories(work.resolve("model-" + clientId));
        this.model = dir.resolve(modelName + ".onnx");
        Files.copy(Path.of(GatewayProcess.required("layerlift.testdata.models"), modelName + ".onnx"), model,
                StandardCopyOption.REPLACE_EXISTING);
        Materializer.materialize(model, seed);
        OffloadOptions o = OffloadOptions.of(model, Bandwidth.parse(bandwidth))
                .withDevice(DeviceEmulation.slowdown(slowdown));
        this.offload = strategy == null ? o : o.withStrategy(strategy);
        this.client = LayerLiftClient.connect(ClientOptions.of(uri, clientId)
                .withLink(LinkEmulation.symmetric(Bandwidth.parse(bandwidth))));
    }

    double nowMs() {
        return (System.nanoTime() - epochNs) / 1e6;
    }

    /** Opens the session (the upload starts), works out the reference answers of two seeded inputs, starts querying. */
    FaultClient open() throws ClientException {
        openSession();
        startQueries();
        return this;
    }

    /** Opens the session (again, after {@link #closeSession}); the queries go to the new one. */
    void openSession() throws ClientException {
        OffloadSession s = client.open(offload);
        s.addListener(e -> events.add(new Seen(nowMs(), e)));
        openedAtMs = nowMs();
        if (inputs == null) {
            List<List<TensorData>> in = new ArrayList<>();
            List<List<TensorData>> ref = new ArrayList<>();
            for (long seed = 1; seed <= 2; seed++) {
                List<TensorData> t = RandomInputs.tensors(s.inputs(), seed);
                in.add(t);
                ref.add(s.reference(t));
            }
            inputs = in;
            references = ref;
        }
        session = s;
    }

    void startQueries() {
        stopQueries = false;
        queries = new Thread(this::queryLoop, "fault-queries-" + clientId);
        queries.setDaemon(true);
        queries.start();
    }

    private void queryLoop() {
        int n = 0;
        while (!stopQueries) {
            int set = n++ % inputs.size();
            double at = nowMs();
            try {
                QueryResult r = session.infer(inputs.get(set));
                answers.add(new Answer(at, r, QueryInputs.maxAbsDiff(r.outputs(), references.get(set))));
            } catch (ClientException | RuntimeException e) {
                errors.add(String.format(Locale.ROOT, "%.0f ms: %s", at, e));
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops querying (waits at most 60 s for the query in progress). */
    void stopQueries() throws InterruptedException {
        stopQueries = true;
        if (queries != null) {
            queries.join(60_000);
            assertTrue(clientId + ": a query did not return within 60 s (a hang)", !queries.isAlive());
        }
    }

    OffloadSession session() {
        return session;
    }

    SessionProgress progress() {
        return session.progress();
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    List<Seen> events() {
        return List.copyOf(events);
    }

    List<Seen> events(String type) {
        return events.stream().filter(s -> s.event().type().equals(type)).toList();
    }

    /** Waits until the session's progress satisfies {@code p}; fails after the timeout. */
    void await(String what, Predicate<SessionProgress> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!p.test(progress())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(clientId + ": not " + what + " within " + timeout.toSeconds() + " s: "
                        + progress() + "\n" + summary());
            }
            Thread.sleep(50);
        }
    }

    /** Waits until at least {@code count} events of a type came after {@code afterMs}; returns the first such. */
    Seen awaitEvent(String type, double afterMs, Duration timeout) throws InterruptedException {
        return awaitEvent(type, "", afterMs, timeout);
    }

    /** The same, for events whose detail starts with {@code detailPrefix} ("" for any). */
    Seen awaitEvent(String type, String detailPrefix, double afterMs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Seen s : events) {
                if (s.event().type().equals(type) && s.atMs() >= afterMs && (detailPrefix.isEmpty()
                        || s.event().detail() != null && s.event().detail().startsWith(detailPrefix))) {
                    return s;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(clientId + ": no " + type + " event after " + (long) afterMs + " ms within "
                        + timeout.toSeconds() + " s\n" + summary());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until {@code count} offloaded answers started after {@code afterMs}; returns the first. */
    Answer awaitOffloadedAfter(double afterMs, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Answer> after = answers.stream().filter(a -> a.atMs() >= afterMs && a.result().offloaded()).toList();
            if (after.size() >= count) {
                return after.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(clientId + ": not " + count + " offloaded answers after " + (long) afterMs
                        + " ms within " + timeout.toSeconds() + " s\n" + summary());
            }
            Thread.sleep(50);
        }
    }

    /**
     * When (test clock) the last {@code upload_done} event came; when the session was done before its listener was
     * added (everything held already at open), when it opened.
     */
    double uploadDoneAtMs() throws InterruptedException {
        List<Seen> done = events(SessionEvent.UPLOAD_DONE);
        // the session's waiters wake before its listeners hear the event: give the event a moment to arrive
        for (int i = 0; done.isEmpty() && i < 100; i++) {
            assertTrue(clientId + ": not uploaded\n" + summary(), progress().uploadDone());
            Thread.sleep(50);
            done = events(SessionEvent.UPLOAD_DONE);
        }
        if (done.isEmpty()) {
            return openedAtMs;
        }
        return done.get(done.size() - 1).atMs();
    }

    boolean awaitUploaded(Duration timeout) throws InterruptedException {
        return session.awaitUploaded(timeout);
    }

    /** Every answer equals the reference, no query failed, at least {@code min} answers. */
    void assertAllCorrect(int min) {
        assertTrue(clientId + ": no query may fail: " + errors, errors.isEmpty());
        List<Answer> a = answers();
        assertTrue(clientId + ": at least " + min + " answers, got " + a.size(), a.size() >= min);
        for (Answer x : a) {
            assertTrue(clientId + ": an answer differs from the reference by " + x.diff() + " (" + describe(x) + ")",
                    x.correct());
        }
    }

    /** The session never sent again a chunk the gateway had acknowledged. */
    void assertNothingResent() {
        assertEquals(clientId + ": chunks resent: " + progress(), 0, progress().chunksResent());
    }

    /** Answers that started in [fromMs, toMs). */
    List<Answer> between(double fromMs, double toMs) {
        return answers.stream().filter(a -> a.atMs() >= fromMs && a.atMs() < toMs).toList();
    }

    static String describe(Answer a) {
        QueryResult r = a.result();
        return String.format(Locale.ROOT, "at %.0f ms, %.0f ms, %s%s", a.atMs(), r.latencyMs(),
                r.offloaded() ? "offloaded p" + r.partition() : "local", r.fallback() ? " (fallback: "
                        + r.fallbackReason() + ")" : "");
    }

    /** For failure messages and the doc's numbers. */
    String summary() {
        StringBuilder b = new StringBuilder(clientId).append(": ").append(session == null ? "no session"
                : progress()).append('\n');
        List<Answer> a = answers();
        b.append("  ").append(a.size()).append(" answers, ").append(a.stream().filter(x -> x.result().offloaded())
                .count()).append(" offloaded, ").append(a.stream().filter(x -> x.result().fallback()).count())
                .append(" fallbacks, ").append(a.stream().filter(x -> !x.correct()).count()).append(" wrong; errors ")
                .append(errors).append('\n');
        for (Seen s : events) {
            if (!s.event().type().equals(SessionEvent.PROGRESS)) {
                b.append(String.format(Locale.ROOT, "  %.0f ms %s%s%s%n", s.atMs(), s.event().type(),
                        s.event().partition() >= 0 ? " p" + s.event().partition() : "",
                        s.event().detail() == null ? "" : ": " + s.event().detail()));
            }
        }
        return b.toString();
    }

    /** Closes the session on the gateway (the client stays connected). */
    void closeSession() throws InterruptedException {
        stopQueries();
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void close() {
        stopQueries = true;
        if (queries != null) {
            queries.interrupt();
        }
        client.close();
    }
}
