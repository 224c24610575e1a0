package org.layerlift.cli.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.layerlift.api.inference.TensorData;
import org.layerlift.cli.offload.OffloadRun;
import org.layerlift.cli.offload.QueryInputs;
import org.layerlift.cli.offload.StopRule;
import org.layerlift.client.ClientException;
import org.layerlift.client.ClientOptions;
import org.layerlift.client.LayerLiftClient;
import org.layerlift.client.OffloadSession;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;

/**
 * One load-test client on its own thread: its own connection (client id, emulated link), its own session of the
 * model, queries as paced until the run's stop rule says so, then a wait for its upload. The answers are kept for
 * the check after the run; the session stays open until {@link #close}.
 */
final class ClientRun implements Callable<ClientOutcome>, AutoCloseable {

    /** Failed queries in a row after which a client stops querying. */
    static final int MAX_FAILURES_IN_A_ROW = 20;

    private final int index;
    private final String clientId;
    private final Loadtest.Config config;
    private final Loadtest.Shared shared;
    private volatile LayerLiftClient client;
    private volatile OffloadSession session;
    private final List<List<TensorData>> outputs = new ArrayList<>();
    private final List<Integer> sets = new ArrayList<>();
    private volatile String uploadFailure;
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

    ClientRun(int index, Loadtest.Config config, Loadtest.Shared shared) {
        this.index = index;
        this.clientId = config.clientPrefix() + "-" + index;
        this.config = config;
        this.shared = shared;
    }

    String clientId() {
        return clientId;
    }

    OffloadSession session() {
        return session;
    }

    /** The answers in order and the input set of each. */
    List<List<TensorData>> outputs() {
        return outputs;
    }

    List<Integer> sets() {
        return sets;
    }

    @Override
    public ClientOutcome call() throws InterruptedException {
        List<String> errors = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        List<Boolean> offloaded = new ArrayList<>();
        int fallbacks = 0;
        shared.sleepUntil(index * config.staggerMs());
        long openStart = System.nanoTime();
        try {
            client = LayerLiftClient.connect(config.clientOptions(clientId));
            session = client.open(shared.device() == null ? config.offloadOptions()
                    : config.offloadOptions(shared.device()));
        } catch (ClientException e) {
            errors.add("open: " + OffloadRun.describe(e));
        } catch (RuntimeException e) {
            errors.add("open: " + e);
        }
        if (session == null) {
            settle();
            return new ClientOutcome(clientId, null, null, null, latencies, offloaded, 0, null, errors, 0, 0, 0, 0, 0);
        }
        double openMs = (System.nanoTime() - openStart) / 1e6;
        session.addListener(e -> {
            if (SessionEvent.UPLOAD_DONE.equals(e.type())) {
                settle();
            } else if (SessionEvent.UPLOAD_FAILED.equals(e.type())) {
                uploadFailure = e.detail();
                settle();
            }
        });
        if (session.progress().uploadDone()) {
            settle();
        }
        List<List<TensorData>> inputs = shared.inputSets(session);
        StopRule rule = config.stopRule();
        double firstMs = shared.nowMs();
        long afterAll = 0;
        int failuresInARow = 0;
        String stopped = null;
        while (stopped == null) {
            double now = shared.nowMs();
            stopped = rule.check(now, afterAll, shared.allSettled(), false);
            if (stopped != null) {
                break;
            }
            int k = latencies.size() + failuresInARow;
            double delay = config.pacing().delayMs(k, now - firstMs);
            if (delay > 0) {
                Thread.sleep(Math.max(1, (long) Math.min(delay, 200)));
                continue;
            }
            boolean afterUploads = shared.allSettled();
            int set = k % inputs.size();
            try {
                var r = session.infer(inputs.get(set));
                latencies.add(r.latencyMs());
                offloaded.add(r.offloaded());
                fallbacks += r.fallback() ? 1 : 0;
                outputs.add(r.outputs());
                sets.add(set);
                failuresInARow = 0;
            } catch (ClientException e) {
                errors.add("query " + k + ": " + OffloadRun.describe(e));
                if ("closed".equals(e.code()) || ++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
                    errors.add("stopped querying after " + failuresInARow + " failed queries in a row");
                    break;
                }
            }
            if (afterUploads) {
                afterAll++;
            }
        }
        SessionProgress p = session.progress();
        if (!p.uploadDone() && uploadFailure == null) {
            double left = config.uploadTimeoutMs() - shared.nowMs();
            if (left > 0) {
                session.awaitUploaded(java.time.Duration.ofMillis((long) left));
            }
            p = session.progress();
            if (!p.uploadDone() && uploadFailure == null) {
                errors.add("upload not done within " + Math.round(config.uploadTimeoutMs() / 1000) + " s of the start ("
                        + p.partitionsReady() + " of " + p.partitions() + " partitions ready)");
            }
        }
        if (uploadFailure != null) {
            errors.add("upload failed: " + uploadFailure);
        }
        settle();
        return new ClientOutcome(clientId, p.session(), openMs, p.uploadDone() ? p.uploadDoneMs() : null, latencies,
                offloaded, fallbacks, null, errors, p.chunksSent(), p.chunksResent(), p.bytesUploaded(),
                p.bytesSkipped(), p.replans(), p.measuredUplinkMbps() > 0 ? p.measuredUplinkMbps() : null,
                session.plan() == null ? null : session.plan().bandwidthMbps());
    }

    private void settle() {
        if (settled.compareAndSet(false, true)) {
            shared.settled();
        }
    }

    /** The largest difference of each answer from the reference of its input set. */
    List<Double> diffs(List<List<TensorData>> references) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            d.add(QueryInputs.maxAbsDiff(outputs.get(i), references.get(sets.get(i))));
        }
        return d;
    }

    @Override
    public void close() {
        OffloadSession s = session;
        if (s != null) {
            s.close();
        }
        LayerLiftClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
