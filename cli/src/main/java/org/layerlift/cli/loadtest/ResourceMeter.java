package org.layerlift.cli.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures {@link Usage} over a run: samples this JVM's and the machine's CPU load every 500 ms, and (on Linux,
 * when the gateway's process id is known) reads the gateway's threads' CPU ticks and written bytes from /proc at
 * the start and at the end.
 */
final class ResourceMeter implements AutoCloseable {

    /** /proc reports CPU times in USER_HZ ticks, 100 a second on every Linux the JVM runs on. */
    static final double TICKS_PER_S = 100;
    static final int THREAD_GROUPS = 8;

    private final com.sun.management.OperatingSystemMXBean os;
    private final Long gatewayPid;
    private final long startNanos = System.nanoTime();
    private final long startCpuNanos;
    private final Map<String, ThreadTicks> gatewayStart;
    private final Long gatewayWrittenStart;
    private final Thread sampler;
    private final List<double[]> samples = new ArrayList<>();
    private volatile boolean stopped;

    /** One thread's name and CPU ticks (user + system). */
    record ThreadTicks(String name, long ticks) {}

    ResourceMeter(Long gatewayPid) {
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        this.gatewayPid = gatewayPid;
        this.startCpuNanos = os.getProcessCpuTime();
        this.gatewayStart = gatewayPid == null ? Map.of() : threads(gatewayPid);
        this.gatewayWrittenStart = gatewayPid == null ? null : writeBytes(gatewayPid);
        os.getProcessCpuLoad(); // the first reading only starts the interval
        this.sampler = new Thread(this::sample, "layerlift-loadtest-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (!stopped) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            double process = os.getProcessCpuLoad();
            double machine = os.getCpuLoad();
            if (process >= 0 && machine >= 0) {
                synchronized (samples) {
                    samples.add(new double[] {process, machine});
                }
            }
        }
    }

    /** The usage since the meter started. */
    Usage usage() {
        double wallS = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double cores = Math.max(0, os.getProcessCpuTime() - startCpuNanos) / 1e9 / wallS;
        double mean = 0;
        double max = 0;
        double machine = 0;
        synchronized (samples) {
            for (double[] s : samples) {
                mean += s[0];
                max = Math.max(max, s[0]);
                machine += s[1];
            }
            if (!samples.isEmpty()) {
                mean /= samples.size();
                machine /= samples.size();
            }
        }
        Double gatewayCpuS = null;
        Double gatewayCores = null;
        List<Usage.ThreadGroupCpu> groups = List.of();
        Long written = null;
        if (gatewayPid != null) {
            Map<String, ThreadTicks> end = threads(gatewayPid);
            if (!end.isEmpty()) {
                groups = group(gatewayStart, end, THREAD_GROUPS);
                long ticks = 0;
                for (Map.Entry<String, ThreadTicks> e : end.entrySet()) {
                    ThreadTicks before = gatewayStart.get(e.getKey());
                    ticks += Math.max(0, e.getValue().ticks() - (before == null ? 0 : before.ticks()));
                }
                gatewayCpuS = ticks / TICKS_PER_S;
                gatewayCores = gatewayCpuS / wallS;
            }
            Long w = writeBytes(gatewayPid);
            if (w != null && gatewayWrittenStart != null) {
                written = w - gatewayWrittenStart;
            }
        }
        return new Usage(mean, max, cores, machine, os.getAvailableProcessors(), gatewayCpuS, gatewayCores, groups,
                written);
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }

    /**
     * Per thread group (names with their digits as '#'), the CPU seconds between the two readings (threads born
     * since count from zero; threads gone since are not counted), the {@code limit} largest, largest first.
     */
    static List<Usage.ThreadGroupCpu> group(Map<String, ThreadTicks> start, Map<String, ThreadTicks> end, int limit) {
        Map<String, long[]> byName = new TreeMap<>();
        for (Map.Entry<String, ThreadTicks> e : end.entrySet()) {
            ThreadTicks before = start.get(e.getKey());
            long delta = Math.max(0, e.getValue().ticks() - (before == null ? 0 : before.ticks()));
            long[] g = byName.computeIfAbsent(e.getValue().name().replaceAll("[0-9]+", "#"), k -> new long[2]);
            g[0] += delta;
            g[1]++;
        }
        return byName.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> new Usage.ThreadGroupCpu(e.getKey(), (int) e.getValue()[1], e.getValue()[0] / TICKS_PER_S))
                .toList();
    }

    /** A /proc/.../stat line's name and user + system ticks, or null when it does not parse. */
    static ThreadTicks parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] rest = line.substring(close + 1).trim().split("\\s+");
        // after the name: state (field 3) ... utime (14), stime (15)
        if (rest.length < 13) {
            return null;
        }
        try {
            return new ThreadTicks(line.substring(open + 1, close), Long.parseLong(rest[11]) + Long.parseLong(rest[12]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The process's threads by thread id; empty when /proc cannot be read (not Linux, process gone). */
    static Map<String, ThreadTicks> threads(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        Map<String, ThreadTicks> out = new HashMap<>();
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path t : list.toList()) {
                try {
                    ThreadTicks tt = parseStat(Files.readString(t.resolve("stat"), StandardCharsets.UTF_8));
                    if (tt != null) {
                        out.put(t.getFileName().toString(), tt);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** {@code write_bytes} of /proc/pid/io, or null when it cannot be read. */
    static Long writeBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"), StandardCharsets.UTF_8)) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
