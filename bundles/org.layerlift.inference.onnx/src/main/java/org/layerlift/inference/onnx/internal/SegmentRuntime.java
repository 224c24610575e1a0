package org.layerlift.inference.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.layerlift.api.inference.ExecutorStats;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentException.Reason;
import org.layerlift.api.inference.SegmentExecutor;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;

/**
 * Runs server segments with ONNX Runtime; plain Java, wrapped by the {@link OnnxSegmentExecutor} component.
 *
 * <ul>
 *   <li>Registration: {@link #prepare} builds the session on the caller's thread and registers the spec (at most
 *       {@code max.segments}); the spec stays registered while its session may be evicted.
 *   <li>Cache: sessions within {@code cache.bytes} of {@link SegmentSpec#weightBytes()}, least recently used out,
 *       closed once no run uses them ({@link SessionCache}); a run of an evicted segment rebuilds it from the spec
 *       on the worker, one build per segment at a time.
 *   <li>Runs: inputs are validated on the caller's thread ({@link InputValidation}), then go to a fixed pool of
 *       {@code workers} threads behind an {@code ArrayBlockingQueue(queue)}: when it is full the run is refused at
 *       once with OVERLOADED, so a burst never grows an unbounded backlog.
 *   <li>Timeout: {@code timeout.ms} counts from submission, since the client waits for the queue too. It completes
 *       the run with TIMEOUT, drops it from the queue if it has not started, and otherwise sets ORT's terminate flag
 *       on the run's {@code RunOptions}; ORT checks it between nodes, so the worker comes free soon after.
 * </ul>
 *
 * Stages complete on a worker (or, for timeouts, the timer) thread: dependents should not block.
 */
public final class SegmentRuntime implements SegmentExecutor, AutoCloseable {

    /** How long {@link #close()} waits for runs it has told to terminate. */
    private static final long CLOSE_WAIT_MS = 10_000;

    private final ExecutorSettings settings;
    private final OrtEnvironment env;
    private final SessionBuilder builder;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;

    private final Object lock = new Object();
    /** guarded by lock */
    private final Map<String, Registration> segments = new HashMap<>();
    /** guarded by lock */
    private final SessionCache<BuiltSession> cache;
    private final Set<SegmentRun> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong builds = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private volatile long lastTimeoutNanos;

    /** A registered segment: its spec and declared inputs (fixed by the spec, so they survive eviction). */
    private static final class Registration {
        final SegmentSpec spec;
        final List<TensorSpec> inputs;
        /** One build at a time per segment: concurrent runs of an evicted segment wait for one rebuild. */
        final Object buildLock = new Object();
        /** guarded by the runtime's lock */
        boolean released;

        Registration(SegmentSpec spec, List<TensorSpec> inputs) {
            this.spec = spec;
            this.inputs = inputs;
        }
    }

    /** runs executing, on a caller's thread or on the pool: at most {@code workers} */
    private final java.util.concurrent.Semaphore slots;

    public SegmentRuntime(ExecutorSettings settings) {
        TensorConversion.requireLittleEndian();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = OrtEnvironment.getEnvironment();
        this.builder = new SessionBuilder(env, settings.intraOpThreads());
        this.cache = new SessionCache<>(settings.cacheBytes());
        this.slots = new java.util.concurrent.Semaphore(settings.workers());
        this.pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queue()), threads("layerlift-segment-worker-"),
                new ThreadPoolExecutor.AbortPolicy());
        this.timer = new ScheduledThreadPoolExecutor(1, threads("layerlift-segment-timeout-"));
        timer.setRemoveOnCancelPolicy(true); // finished runs' deadlines must not pile up in the timer's queue
    }

    ExecutorSettings settings() {
        return settings;
    }

    @Override
    public void prepare(SegmentSpec spec) throws SegmentException {
        Objects.requireNonNull(spec, "spec");
        String key = spec.key();
        synchronized (lock) {
            checkRoom(key);
        }
        BuiltSession built = builder.build(spec);
        builds.incrementAndGet();
        Registration registration = new Registration(spec, built.inputs());
        List<BuiltSession> toClose = new ArrayList<>();
        try {
            synchronized (lock) {
                try {
                    checkRoom(key);
                } catch (SegmentException e) {
                    toClose.add(built);
                    throw e;
                }
                Registration old = segments.put(key, registration);
                if (old != null) {
                    old.released = true;
                }
                cache.put(key, registration, built, spec.weightBytes(), false, toClose);
            }
        } finally {
            closeAll(toClose);
        }
    }

    /** guarded by lock */
    private void checkRoom(String key) throws SegmentException {
        if (closed) {
            throw new SegmentException(Reason.BUILD_FAILED, "segment " + key + ": the executor is closed");
        }
        if (!segments.containsKey(key) && segments.size() >= settings.maxSegments()) {
            throw new SegmentException(Reason.BUILD_FAILED, "segment " + key + ": " + segments.size()
                    + " segments are registered, the most max.segments allows; release some first");
        }
    }

    @Override
    public boolean isPrepared(String key) {
        synchronized (lock) {
            return segments.containsKey(key);
        }
    }

    @Override
    public List<TensorSpec> inputs(String key) throws SegmentException {
        return registration(key).inputs;
    }

    private Registration registration(String key) throws SegmentException {
        synchronized (lock) {
            Registration r = segments.get(key);
            if (r == null) {
                throw unknown(key);
            }
            return r;
        }
    }

    @Override
    public CompletionStage<List<TensorData>> run(String key, List<TensorData> inputs) {
        CompletableFuture<List<TensorData>> result = new CompletableFuture<>();
        // The caller's stage completes after the counts (stats() read once it completes include this run), with the
        // SegmentException itself: a whenComplete stage would hand handlers a CompletionException around it.
        CompletableFuture<List<TensorData>> counted = new CompletableFuture<>();
        result.whenComplete((outputs, failure) -> {
            completed.incrementAndGet();
            if (failure != null) {
                failed.incrementAndGet();
                if (failure instanceof SegmentException e && e.reason() == Reason.TIMEOUT) {
                    lastTimeoutNanos = System.nanoTime();
                    timeouts.incrementAndGet();
                }
                counted.completeExceptionally(failure);
            } else {
                counted.complete(outputs);
            }
        });
        try {
            if (closed) {
                throw new SegmentException(Reason.RUN_FAILED, "segment " + key + ": the executor is closed");
            }
            Registration r = registration(key);
            SegmentRun run = new SegmentRun(r, InputValidation.check(key, r.inputs, inputs), result);
            run.deadline = timer.schedule(run::timeout, settings.timeoutMs(), TimeUnit.MILLISECONDS);
            // with a slot free, run on the caller's thread: one thread hand-off less per query hop. At most
            // `workers` runs hold a slot at once, inline or on the pool, so ORT's concurrency stays bounded.
            if (settings.callerRuns() && slots.tryAcquire()) {
                try {
                    run.execute();
                } finally {
                    slots.release();
                }
                return counted.minimalCompletionStage();
            }
            try {
                pool.execute(run);
            } catch (RejectedExecutionException e) {
                run.deadline.cancel(false);
                throw new SegmentException(Reason.OVERLOADED, "segment " + key + ": all " + settings.workers()
                        + " workers are busy and " + settings.queue() + " runs are queued; try again later");
            }
        } catch (SegmentException e) {
            result.completeExceptionally(e);
        } catch (RuntimeException e) {
            result.completeExceptionally(new SegmentException(Reason.RUN_FAILED, "segment " + key + ": "
                    + e.getMessage(), e));
        }
        return counted.minimalCompletionStage();
    }

    /** A lease on the session of {@code r}, rebuilt from its spec when it was evicted. */
    private SessionCache.Entry<BuiltSession> lease(Registration r) throws SegmentException {
        String key = r.spec.key();
        synchronized (lock) {
            SessionCache.Entry<BuiltSession> e = leaseCached(r);
            if (e != null) {
                return e;
            }
        }
        synchronized (r.buildLock) {
            synchronized (lock) {
                SessionCache.Entry<BuiltSession> e = leaseCached(r);
                if (e != null) {
                    return e; // another run rebuilt it while this one waited
                }
            }
            BuiltSession built = builder.build(r.spec);
            builds.incrementAndGet();
            List<BuiltSession> toClose = new ArrayList<>();
            try {
                synchronized (lock) {
                    if (r.released) {
                        toClose.add(built);
                        throw unknown(key);
                    }
                    return cache.put(key, r, built, r.spec.weightBytes(), true, toClose);
                }
            } finally {
                closeAll(toClose);
            }
        }
    }

    /** guarded by lock */
    private SessionCache.Entry<BuiltSession> leaseCached(Registration r) throws SegmentException {
        if (r.released) {
            throw new SegmentException(Reason.UNKNOWN_SEGMENT, "segment " + r.spec.key()
                    + " was released or replaced while the run waited");
        }
        return cache.lease(r.spec.key(), r);
    }

    private void unlease(SessionCache.Entry<BuiltSession> e) {
        BuiltSession close;
        synchronized (lock) {
            close = cache.release(e);
        }
        if (close != null) {
            close.close();
        }
    }

    @Override
    public void release(String keyPrefix) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        List<BuiltSession> toClose = new ArrayList<>();
        synchronized (lock) {
            Iterator<Map.Entry<String, Registration>> it = segments.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Registration> e = it.next();
                if (e.getKey().startsWith(keyPrefix)) {
                    e.getValue().released = true;
                    cache.remove(e.getKey(), toClose);
                    it.remove();
                }
            }
        }
        closeAll(toClose);
    }

    @Override
    public ExecutorStats stats() {
        synchronized (lock) {
            return new ExecutorStats(segments.size(), cache.size(), cache.bytes(), cache.limit(), running.get(),
                    pool.getQueue().size(), settings.workers(), completed.get(), failed.get(), builds.get());
        }
    }

    /** Runs that timed out since start. */
    long timeouts() {
        return timeouts.get();
    }

    /** Nanoseconds since the last run timed out, or {@code Long.MAX_VALUE} when none has. */
    long nanosSinceLastTimeout() {
        return timeouts.get() == 0 ? Long.MAX_VALUE : System.nanoTime() - lastTimeoutNanos;
    }

    /**
     * Refuses new work, fails queued runs, terminates running ones (waiting up to 10 s for them) and closes every
     * session; one still leased by a run that would not stop is closed when that run ends.
     */
    @Override
    public void close() {
        closed = true;
        active.forEach(SegmentRun::abandon); // before shutdownNow interrupts them
        for (Runnable queued : pool.shutdownNow()) {
            ((SegmentRun) queued).abandon();
        }
        active.forEach(SegmentRun::abandon); // any that started meanwhile
        try {
            pool.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        List<BuiltSession> toClose = new ArrayList<>();
        synchronized (lock) {
            segments.values().forEach(r -> r.released = true);
            segments.clear();
            cache.clear(toClose);
        }
        closeAll(toClose);
    }

    private static void closeAll(List<BuiltSession> sessions) {
        sessions.forEach(BuiltSession::close);
    }

    private static SegmentException unknown(String key) {
        return new SegmentException(Reason.UNKNOWN_SEGMENT, "no segment is registered under '" + key + "'");
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One run: queued, then on a worker; completed by the worker, by its deadline, or by close. */
    private final class SegmentRun implements Runnable {
        private final Registration registration;
        private final Map<String, TensorData> inputs;
        private final CompletableFuture<List<TensorData>> result;
        volatile ScheduledFuture<?> deadline;
        /** guarded by this: the options of the ORT run in progress, which the deadline may terminate */
        private OrtSession.RunOptions options;
        /** guarded by this */
        private boolean stopped;

        SegmentRun(Registration registration, Map<String, TensorData> inputs,
                CompletableFuture<List<TensorData>> result) {
            this.registration = registration;
            this.inputs = inputs;
            this.result = result;
        }

        /** On a pool worker: waits for a slot (a caller may be running one inline), then executes. */
        @Override
        public void run() {
            slots.acquireUninterruptibly();
            try {
                execute();
            } finally {
                slots.release();
            }
        }

        /** Runs the segment on this thread, holding a slot. */
        void execute() {
            if (result.isDone()) {
                return; // timed out while queued
            }
            running.incrementAndGet();
            active.add(this);
            List<TensorData> outputs = null;
            SegmentException failure = null;
            SessionCache.Entry<BuiltSession> lease = null;
            List<OnnxTensor> feed = new ArrayList<>();
            try {
                lease = lease(registration);
                BuiltSession session = lease.resource();
                Map<String, OnnxTensor> map = new LinkedHashMap<>();
                for (TensorData t : inputs.values()) {
                    OnnxTensor x = TensorConversion.toOnnx(env, t);
                    feed.add(x);
                    map.put(t.name(), x);
                }
                OrtSession.RunOptions runOptions = begin();
                if (runOptions != null) { // else timed out or abandoned before ORT started: already complete
                    try (OrtSession.Result out = session.session().run(map, runOptions)) {
                        outputs = copy(session, out);
                    } finally {
                        end();
                    }
                }
            } catch (SegmentException e) {
                failure = e;
            } catch (OrtException | RuntimeException | OutOfMemoryError e) {
                // after a timeout ORT fails the terminated run: the stage is already complete with TIMEOUT
                failure = new SegmentException(Reason.RUN_FAILED, "segment " + registration.spec.key()
                        + ": ONNX Runtime failed: " + e.getMessage(), e);
            } finally {
                feed.forEach(OnnxTensor::close);
                if (lease != null) {
                    unlease(lease);
                }
                deadline.cancel(false);
                active.remove(this);
                running.decrementAndGet();
            }
            if (failure != null && closed) {
                // interrupted or terminated by close(): that, not its symptom (a failed weight load, say), is why
                failure = closedBeforeFinishing(failure);
            }
            // completed after the clean-up, so a caller that sees the result sees this run counted out of running
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (outputs != null) {
                result.complete(outputs);
            }
        }

        private List<TensorData> copy(BuiltSession session, OrtSession.Result out) {
            List<TensorData> outputs = new ArrayList<>(session.outputs().size());
            for (String name : session.outputs()) {
                Optional<OnnxValue> v = out.get(name);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                    throw new IllegalStateException("output '" + name + "' is missing or not a tensor");
                }
                outputs.add(TensorConversion.fromOnnx(name, t));
            }
            return outputs;
        }

        private synchronized OrtSession.RunOptions begin() throws OrtException {
            if (stopped) {
                return null;
            }
            options = new OrtSession.RunOptions();
            return options;
        }

        private synchronized void end() {
            options.close();
            options = null;
        }

        /** Sets ORT's terminate flag if the run is in ORT, and keeps it from starting otherwise. */
        private synchronized void stop() {
            stopped = true;
            if (options != null) {
                try {
                    options.setTerminate(true);
                } catch (OrtException e) {
                    // the run then goes on to its end; its stage is complete already
                }
            }
        }

        /** On the timer thread. */
        /**
         * On the timer thread. Completes the stage first, then stops ORT: the other way round the worker could see
         * the terminated run fail and complete the stage with RUN_FAILED before it.
         */
        void timeout() {
            result.completeExceptionally(new SegmentException(Reason.TIMEOUT, "segment "
                    + registration.spec.key() + ": the run took longer than timeout.ms " + settings.timeoutMs()
                    + " ms (queue wait included) and was cancelled"));
            stop();
            pool.remove(this);
        }

        void abandon() {
            result.completeExceptionally(closedBeforeFinishing(null));
            stop();
            deadline.cancel(false);
        }

        private SegmentException closedBeforeFinishing(Throwable cause) {
            return new SegmentException(Reason.RUN_FAILED, "segment " + registration.spec.key()
                    + ": the executor closed before the run finished", cause);
        }
    }
}
