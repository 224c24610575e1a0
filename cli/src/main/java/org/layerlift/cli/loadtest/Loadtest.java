package org.layerlift.cli.loadtest;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.layerlift.api.inference.TensorData;
import org.layerlift.cli.CliException;
import org.layerlift.cli.ExitCodes;
import org.layerlift.cli.offload.OffloadReport;
import org.layerlift.cli.offload.OffloadRun;
import org.layerlift.cli.offload.Pacing;
import org.layerlift.cli.offload.QueryInputs;
import org.layerlift.cli.offload.StopRule;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.ClientException;
import org.layerlift.client.ClientOptions;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.client.LayerLiftClient;
import org.layerlift.client.LinkEmulation;
import org.layerlift.client.OffloadOptions;
import org.layerlift.client.OffloadSession;
import org.layerlift.protocol.Messages;

/**
 * A load test: N clients, each on its own thread with its own connection, link and session of the same model,
 * against one gateway; then every answer checked against the model's reference (computed once per input set, after
 * the run), the gateway's holding checked by a fresh session's plan (lost chunks), and the report printed.
 */
public final class Loadtest {

    /** Distinct seeded input sets the queries cycle through. */
    static final int INPUT_SETS = 4;

    /** What to run. */
    public record Config(String gateway, String clientPrefix, int clients, String username, String password,
            Path model, String modelLabel, Bandwidth bandwidth, boolean shaping, String strategy, Double slowdown,
            Pacing pacing, Double durationS, int queriesAfterUpload, double staggerMs, Duration queryTimeout,
            double uploadTimeoutMs, Duration connectTimeout, long seed, Path json, Long gatewayPid) {

        ClientOptions clientOptions(String id) {
            ClientOptions o = ClientOptions.of(gateway, id).withTimeouts(connectTimeout, null);
            if (username != null) {
                o = o.withLogin(username, password);
            }
            return shaping ? o.withLink(LinkEmulation.symmetric(bandwidth)) : o;
        }

        OffloadOptions offloadOptions() {
            return offloadOptions(slowdown == null ? DeviceEmulation.none() : DeviceEmulation.slowdown(slowdown));
        }

        OffloadOptions offloadOptions(DeviceEmulation device) {
            OffloadOptions o = OffloadOptions.of(model, bandwidth).withHopTimeout(queryTimeout).withDevice(device);
            return strategy == null ? o : o.withStrategy(strategy);
        }

        StopRule stopRule() {
            return new StopRule(durationS == null ? -1 : durationS * 1000, queriesAfterUpload, uploadTimeoutMs);
        }

        String emulation() {
            return slowdown == null || slowdown == 1 ? "no device emulation" : "device " + trim(slowdown) + "x slower";
        }

        String start() {
            return staggerMs <= 0 ? "all at once" : "staggered, " + trim(staggerMs) + " ms apart";
        }

        String stopText() {
            return durationS != null ? "queries for " + trim(durationS) + " s from the start, then wait for the uploads"
                    : "queries until every client's upload is done, then " + queriesAfterUpload + " more per client";
        }
    }

    /** What the clients share: the start, the count of uploads settled, the input sets. */
    static final class Shared {
        private final long startNanos;
        private final CountDownLatch unsettled;
        private final long seed;
        private List<List<TensorData>> inputSets;
        private final DeviceEmulation device;

        Shared(int clients, long seed, DeviceEmulation device) {
            this.startNanos = System.nanoTime();
            this.unsettled = new CountDownLatch(clients);
            this.seed = seed;
            this.device = device;
        }

        /** The device every client emulates: measured once, or null to let each client measure its own. */
        DeviceEmulation device() {
            return device;
        }

        double nowMs() {
            return (System.nanoTime() - startNanos) / 1e6;
        }

        void sleepUntil(double ms) throws InterruptedException {
            long left = (long) (ms - nowMs());
            if (left > 0) {
                Thread.sleep(left);
            }
        }

        /** One client's upload is done, failed, or never started. */
        void settled() {
            unsettled.countDown();
        }

        /** Every client's upload is done, failed, or never started. */
        boolean allSettled() {
            return unsettled.getCount() == 0;
        }

        /** The seeded input sets, made once from the first session's inputs (every client has the same model). */
        synchronized List<List<TensorData>> inputSets(OffloadSession session) {
            if (inputSets == null) {
                List<List<TensorData>> sets = new ArrayList<>();
                for (int i = 0; i < INPUT_SETS; i++) {
                    sets.add(QueryInputs.random(session.inputs(), seed + i));
                }
                inputSets = List.copyOf(sets);
            }
            return inputSets;
        }

        synchronized List<List<TensorData>> inputSets() {
            return inputSets;
        }
    }

    private final Config config;
    private final PrintWriter out;

    public Loadtest(Config config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** Runs it; the exit code is 1 when a mismatch, an error or a lost chunk was seen, or p99 exceeded its bound. */
    public int run() {
        out.println("load test: " + config.clients() + " clients " + config.clientPrefix() + "-0.."
                + (config.clients() - 1) + " against " + config.gateway() + ", " + config.modelLabel() + ", link "
                + config.bandwidth() + (config.shaping() ? " each" : " (not shaped)") + ", " + config.emulation()
                + ", queries " + config.pacing() + ", query timeout " + config.queryTimeout().toMillis() + " ms; "
                + "start " + config.start() + "; " + config.stopText());
        out.flush();
        List<ClientRun> runs = new ArrayList<>();
        List<ClientOutcome> outcomes = new ArrayList<>();
        List<String> runErrors = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(config.clients(), r -> {
            Thread t = new Thread(r, "layerlift-loadtest-client");
            t.setDaemon(true);
            return t;
        });
        Usage usage;
        double wallS;
        DeviceEmulation device = measureDevice();
        try (ResourceMeter meter = new ResourceMeter(config.gatewayPid())) {
            Shared shared = new Shared(config.clients(), config.seed(), device);
            List<Future<ClientOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < config.clients(); i++) {
                ClientRun r = new ClientRun(i, config, shared);
                runs.add(r);
                futures.add(pool.submit(r));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    outcomes.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    outcomes.add(new ClientOutcome(runs.get(i).clientId(), null, null, null, List.of(), List.of(), 0,
                            null, List.of("failed: " + c), 0, 0, 0, 0, 0));
                }
            }
            wallS = shared.nowMs() / 1000;
            usage = meter.usage();
            out.println(String.format(Locale.ROOT, "clients done after %.1f s; checking the answers ...", wallS));
            out.flush();
            outcomes = verify(runs, outcomes, shared.inputSets());
            int[] lostUnits = {0};
            long lostChunks = lostChunks(runs, lostUnits, runErrors);
            LoadReport report = LoadReport.build(setup(runs), outcomes, lostUnits[0], lostChunks, runErrors, wallS,
                    config.stopText(), usage);
            out.print(report.text());
            if (config.json() != null) {
                report.writeJson(config.json());
                out.println("Wrote " + config.json());
            }
            out.flush();
            return report.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } finally {
            for (ClientRun r : runs) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    // closing one client must not keep the others open
                }
            }
            pool.shutdownNow();
        }
    }

    /**
     * The emulated device, measured once for every client: a session of client {@code <prefix>-profile} planned by
     * the {@code local} strategy (nothing to upload) carries the per-unit client times its client measured at open
     * (times the slowdown). Every client then emulates exactly those times instead of profiling the model itself, N
     * times at once on the same cores, which would inflate each client's times by the load of the others. Null (each
     * client measures its own) when the gateway has no {@code local} strategy or the session fails.
     */
    private DeviceEmulation measureDevice() {
        try (LayerLiftClient c = LayerLiftClient.connect(config.clientOptions(config.clientPrefix() + "-profile"));
                OffloadSession s = c.open(config.offloadOptions().withStrategy("local"))) {
            Messages.Plan p = s.firstPlan();
            double[] ms = new double[p.units().size()];
            for (Messages.PlanUnit u : p.units()) {
                ms[u.index()] = u.clientMs();
            }
            List<Double> times = java.util.Arrays.stream(ms).boxed().toList();
            out.println(String.format(Locale.ROOT, "device measured once (client %s-profile): local %.1f ms; every "
                    + "client emulates these per-unit times", config.clientPrefix(), p.localLatencyMs()));
            out.flush();
            return DeviceEmulation.profile(times, p.clientOnlyMs());
        } catch (ClientException | RuntimeException e) {
            out.println("device: each client measures its own (" + (e instanceof ClientException c
                    ? OffloadRun.describe(c) : e.toString()) + ")");
            out.flush();
            return null;
        }
    }

    private LoadReport.Setup setup(List<ClientRun> runs) {
        Messages.Plan plan = runs.stream().map(ClientRun::session).filter(s -> s != null).map(OffloadSession::firstPlan)
                .findFirst().orElse(null);
        double timeout = config.queryTimeout().toMillis();
        Double local = plan == null ? null : plan.localLatencyMs();
        Double bound = null;
        if (plan != null) {
            int hops = plan.partitions() == null ? 0 : plan.partitions().stream()
                    .mapToInt(p -> p.segments() == null ? 0 : p.segments().size()).max().orElse(0);
            bound = LoadReport.bound(hops, timeout, local);
        }
        return new LoadReport.Setup(config.modelLabel(), config.gateway(), config.clientPrefix(),
                config.bandwidth().mbps(), config.emulation(), config.pacing().toString(), config.start(),
                config.stopText(), timeout, local, bound);
    }

    /** Every answer against the reference of its input set, each reference computed once. */
    private List<ClientOutcome> verify(List<ClientRun> runs, List<ClientOutcome> outcomes,
            List<List<TensorData>> inputSets) {
        OffloadSession reference = runs.stream().map(ClientRun::session).filter(s -> s != null).findFirst()
                .orElse(null);
        List<ClientOutcome> checked = new ArrayList<>();
        if (reference == null || inputSets == null) {
            for (ClientOutcome o : outcomes) {
                checked.add(o.withMismatches(0));
            }
            return checked;
        }
        List<List<TensorData>> references = new ArrayList<>();
        try {
            for (List<TensorData> in : inputSets) {
                references.add(reference.reference(in));
            }
        } catch (ClientException e) {
            throw new CliException("cannot compute the reference answers: " + OffloadRun.describe(e), e);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            int mismatches = (int) runs.get(i).diffs(references).stream()
                    .filter(d -> !(d <= OffloadReport.TOLERANCE)).count();
            checked.add(outcomes.get(i).withMismatches(mismatches));
        }
        return checked;
    }

    /**
     * Chunks lost: a fresh session of the same model (client {@code <prefix>-check}, opened after every client is
     * done) gets a plan that marks each unit the gateway holds complete. A unit the gateway once had complete must
     * still be held: the units held in any client's plans, and the units of the partitions of the plan in force of
     * every client whose upload was done (all of them ready, so complete on the gateway). Units of an earlier plan's
     * partitions that a re-plan dropped (another client brought other units, the link changed) were never owed. Each
     * such unit not held counts its chunks, in the gateway's chunk size; chunks a client had to send again after the
     * gateway acknowledged them are added by the caller ({@code chunks_resent}).
     */
    private long lostChunks(List<ClientRun> runs, int[] lostUnits, List<String> runErrors) {
        java.util.Set<String> uploaded = new java.util.HashSet<>();
        for (ClientRun r : runs) {
            if (r.session() == null) {
                continue;
            }
            for (Messages.Plan p : List.of(r.session().firstPlan(), r.session().plan())) {
                for (Messages.PlanUnit u : p.units()) {
                    if (u.held()) {
                        uploaded.add(u.sha256());
                    }
                }
            }
            if (r.session().progress().uploadDone()) {
                Messages.Plan p = r.session().plan();
                for (Messages.PlanPartition part : p.partitions()) {
                    for (int u : part.units()) {
                        uploaded.add(p.units().get(u).sha256());
                    }
                }
            }
        }
        if (uploaded.isEmpty()) {
            return 0; // no client had anything to send
        }
        ClientOptions o = ClientOptions.of(config.gateway(), config.clientPrefix() + "-check")
                .withTimeouts(config.connectTimeout(), null);
        if (config.username() != null) {
            o = o.withLogin(config.username(), config.password());
        }
        try (LayerLiftClient checker = LayerLiftClient.connect(o);
                OffloadSession s = checker.open(config.offloadOptions())) {
            Messages.Plan plan = s.firstPlan();
            long chunks = 0;
            java.util.Set<String> counted = new java.util.HashSet<>();
            for (Messages.PlanUnit u : plan.units()) {
                if (!u.held() && u.bytes() > 0 && uploaded.contains(u.sha256()) && counted.add(u.sha256())) {
                    lostUnits[0]++;
                    chunks += (u.bytes() + plan.chunkBytes() - 1) / plan.chunkBytes();
                }
            }
            return chunks;
        } catch (ClientException | RuntimeException e) {
            runErrors.add("lost-chunk check (a fresh session of the model) failed: "
                    + (e instanceof ClientException c ? OffloadRun.describe(c) : e.toString()));
            return 0;
        }
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
