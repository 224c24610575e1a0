package org.layerlift.cli.offload;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;

/**
 * Shows an offload run as it goes, from a thread of its own (the session's listener only queues events): on a
 * terminal a live bar (bytes uploaded, partitions ready, last query latency); otherwise plain lines, one per
 * partition ready, re-plan, fallback and connection change, and a status line every {@value #PLAIN_EVERY_MS} ms.
 */
public final class ProgressDisplay implements AutoCloseable {

    static final long PLAIN_EVERY_MS = 5000;

    private final PrintWriter out;
    private final Supplier<SessionProgress> progress;
    private final boolean bar;
    private final Queue<SessionEvent> events = new ConcurrentLinkedQueue<>();
    private volatile double lastLatencyMs = Double.NaN;
    private volatile boolean closed;
    private final Thread thread;
    private ProgressBar progressBar;

    /** Whether to draw the bar: a console and not CI. */
    public static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    public ProgressDisplay(PrintWriter out, Supplier<SessionProgress> progress, boolean bar) {
        this.out = out;
        this.progress = progress;
        this.bar = bar;
        this.thread = new Thread(this::loop, "layerlift-progress");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** From the session's listener: queued, shown by the display's thread. */
    public void event(SessionEvent e) {
        if (!SessionEvent.PROGRESS.equals(e.type())) {
            events.add(e);
        }
    }

    public void lastLatency(double ms) {
        lastLatencyMs = ms;
    }

    private void loop() {
        long lastLine = System.currentTimeMillis();
        while (!closed) {
            try {
                Thread.sleep(bar ? 200 : 250);
            } catch (InterruptedException e) {
                break;
            }
            try {
                SessionProgress p = progress.get();
                if (bar) {
                    drawBar(p);
                    events.clear();
                } else {
                    SessionEvent e;
                    while ((e = events.poll()) != null) {
                        out.println(line(e));
                        lastLine = System.currentTimeMillis();
                    }
                    if (System.currentTimeMillis() - lastLine >= PLAIN_EVERY_MS) {
                        out.println(status(p));
                        lastLine = System.currentTimeMillis();
                    }
                    out.flush();
                }
            } catch (RuntimeException ex) {
                // a display problem must not end the run
            }
        }
    }

    private void drawBar(SessionProgress p) {
        long total = Math.max(1, p.bytesToUpload());
        if (progressBar == null) {
            progressBar = new ProgressBarBuilder().setTaskName("upload").setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" MiB", 1 << 20)
                    .setUpdateIntervalMillis(200).showSpeed().build();
        }
        progressBar.maxHint(total);
        progressBar.stepTo(Math.min(total, p.bytesUploaded()));
        progressBar.setExtraMessage(extra(p));
    }

    private String extra(SessionProgress p) {
        return "partitions " + p.partitionsReady() + "/" + p.partitions() + ", last query "
                + (Double.isNaN(lastLatencyMs) ? "-" : String.format(Locale.ROOT, "%.0f ms", lastLatencyMs))
                + (p.connected() ? "" : ", disconnected");
    }

    String line(SessionEvent e) {
        String at = String.format(Locale.ROOT, "%8.2f s  ", e.atMs() / 1000);
        SessionProgress p = e.progress();
        String counters = p == null ? "" : "  (" + mib(p.bytesUploaded()) + "/" + mib(p.bytesToUpload()) + " MiB, "
                + "partitions " + p.partitionsReady() + "/" + p.partitions() + ")";
        return switch (e.type()) {
            case SessionEvent.PARTITION_READY -> at + "partition " + e.partition() + " ready" + counters
                    + lastQuery();
            case SessionEvent.UPLOAD_DONE -> at + "upload done" + counters;
            case SessionEvent.REPLAN -> at + "new plan" + (p == null ? "" : " " + p.planVersion() + " (" + p.strategy()
                    + ")") + (e.detail() == null ? "" : ": " + e.detail());
            case SessionEvent.DISCONNECTED, SessionEvent.FALLBACK, SessionEvent.UPLOAD_FAILED,
                    SessionEvent.SESSION_EXPIRED -> at + "warning: " + e.type().replace('_', ' ')
                    + (e.detail() == null ? "" : ": " + e.detail());
            default -> at + e.type().replace('_', ' ') + (e.detail() == null ? "" : ": " + e.detail());
        };
    }

    String status(SessionProgress p) {
        return "          uploaded " + mib(p.bytesUploaded()) + "/" + mib(p.bytesToUpload()) + " MiB, " + extra(p)
                + ", " + p.queries() + " queries";
    }

    private String lastQuery() {
        return Double.isNaN(lastLatencyMs) ? "" : String.format(Locale.ROOT, ", last query %.0f ms", lastLatencyMs);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (progressBar != null) {
            progressBar.close();
        }
        if (!bar) {
            SessionEvent e;
            while ((e = events.poll()) != null) {
                out.println(line(e));
            }
            out.flush();
        }
    }
}
