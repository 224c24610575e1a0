package org.layerlift.broker.internal;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs HiveMQ CE inside the gateway (leave this bundle out when the transport uses an external broker). Without a
 * configuration it runs on the shipped defaults, which are {@link BrokerConfig}'s defaults, so deleting an override
 * from deploy/ brings those back. Starting takes a few seconds, so it happens off the activation thread; the
 * transport reconnects until the listener is up, and the health check says where the broker stands.
 *
 * <p>The broker is also the gateway's status channel, so a bad configuration must never take it down: activation
 * never fails on one. A refused change is logged once, naming key and value, reported by the health check, and the
 * running broker keeps its last good configuration; a refused configuration at activation runs the shipped defaults.
 * (Before, activation threw, and every status refresh asking the health check service got "Service factory
 * returned null" with a stack trace, while nothing over MQTT said why.)
 */
@Component(
        configurationPid = EmbeddedBroker.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = HealthCheck.class,
        property = {
            HealthCheck.NAME + "=LayerLift embedded MQTT broker",
            HealthCheck.TAGS + "=layerlift",
            HealthCheck.TAGS + "=broker"
        })
@Designate(ocd = BrokerConfig.class)
public final class EmbeddedBroker implements HealthCheck {

    static final String PID = "org.layerlift.broker";
    private static final long START_TIMEOUT_S = 60;
    private static final long STOP_TIMEOUT_S = 20;
    private static final String INVALID = "invalid broker configuration: ";

    private final Logger log;
    private final Path defaultDataDir;

    /** One HiveMQ instance and the settings it runs with. */
    private record Running(BrokerSettings settings, EmbeddedHiveMQ hivemq, CompletableFuture<Void> started) {}

    /** What runs now; replaced (under {@code this}) only by a valid configuration change. */
    private volatile Running running;
    /** Why the last configuration was refused, or null when the one in force is the one configured. */
    private volatile String refused;

    @Activate
    public EmbeddedBroker(BrokerConfig config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.defaultDataDir = context.getDataFile("hivemq").toPath();
        BrokerSettings settings;
        try {
            settings = settings(config);
        } catch (IllegalArgumentException e) {
            settings = settings(ConfigDefaults.of(BrokerConfig.class));
            refuse(e, "running with the shipped defaults " + settings.listener());
        }
        this.running = start(settings);
    }

    /**
     * A valid change restarts HiveMQ on the new settings (unless nothing changed); a refused one is logged once and
     * reported, and the broker keeps running as it is.
     */
    @Modified
    synchronized void modified(BrokerConfig config) {
        BrokerSettings next;
        try {
            next = settings(config);
        } catch (IllegalArgumentException e) {
            refuse(e, "still running with " + running.settings().listener());
            return;
        }
        if (refused != null) {
            log.info("Embedded MQTT broker: configuration accepted again ({})", next);
            refused = null;
        }
        if (next.equals(running.settings())) {
            return;
        }
        log.info("Embedded MQTT broker: configuration changed, restarting on {}", next);
        stop(running);
        running = start(next);
    }

    /** The message the health check and the log give for a refused configuration. */
    static String refusal(IllegalArgumentException e, String inForce) {
        String why = e.getMessage().startsWith(INVALID) ? e.getMessage().substring(INVALID.length()) : e.getMessage();
        return "configuration refused: " + why + "; " + inForce;
    }

    private void refuse(IllegalArgumentException e, String inForce) {
        String message = refusal(e, inForce);
        if (!message.equals(refused)) {
            log.error("Embedded MQTT broker: {}", message);
        }
        refused = message;
    }

    /** @throws IllegalArgumentException naming every bad key and value */
    private BrokerSettings settings(BrokerConfig config) {
        // also refuses a network listener without credentials
        return BrokerSettings.of(config.host(), config.port(), config.max_packet_size(), config.username(),
                config.password(), config.gateway_username(), config.gateway_password(), config.persistence(),
                config.data_dir(), defaultDataDir);
    }

    private Running start(BrokerSettings settings) {
        EmbeddedHiveMQ hivemq;
        try {
            Path data = Files.createDirectories(settings.dataDir().resolve("data"));
            Path conf = Files.createDirectories(settings.dataDir().resolve("conf"));
            Path extensions = Files.createDirectories(settings.dataDir().resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), settings.hivemqConfigXml(), StandardCharsets.UTF_8);
            Files.writeString(conf.resolve("logback.xml"), settings.hivemqLogbackXml(), StandardCharsets.UTF_8);
            hivemq = withBundleClassLoader(() -> EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(data)
                    .withExtensionsFolder(extensions)
                    .withEmbeddedExtension(EmbeddedExtension.builder()
                            .withId("layerlift-auth")
                            .withName("LayerLift authentication and client namespaces")
                            .withVersion("1")
                            .withAuthor("LayerLift")
                            .withPriority(1000)
                            .withStartPriority(1000)
                            .withExtensionMain(new AuthExtension(settings.credentials()))
                            .build())
                    .build());
        } catch (IOException | RuntimeException e) {
            log.error("Embedded MQTT broker cannot be prepared in {}: {}", settings.dataDir(), rootMessage(e));
            return new Running(settings, null, CompletableFuture.failedFuture(e));
        }
        log.info("Starting embedded MQTT 5 broker on {}", settings);
        long t0 = System.nanoTime();
        CompletableFuture<Void> started = withBundleClassLoader(hivemq::start);
        started.whenComplete((ok, failure) -> {
            if (failure == null) {
                log.info("Embedded MQTT broker listening on {}:{} after {} ms", settings.host(), settings.port(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            } else {
                log.error("Embedded MQTT broker failed to start on {}:{}: {}", settings.host(), settings.port(),
                        rootMessage(failure));
            }
        });
        return new Running(settings, hivemq, started);
    }

    /** Completes once HiveMQ listens (or has failed to start); for tests. */
    CompletableFuture<Void> started() {
        return running.started();
    }

    @Deactivate
    synchronized void stop() {
        stop(running);
    }

    private void stop(Running r) {
        if (r.hivemq() == null) {
            return;
        }
        try {
            r.started().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // failed or never came up: still release whatever it holds
        }
        try {
            withBundleClassLoader(r.hivemq()::stop).get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            r.hivemq().close();
            log.info("Embedded MQTT broker stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Embedded MQTT broker did not stop cleanly: {}", rootMessage(e));
        }
    }

    @Override
    public Result execute() {
        FormattingResultLog result = new FormattingResultLog();
        Running r = running;
        String problem = refused;
        BrokerSettings settings = r.settings();
        if (!r.started().isDone()) {
            result.temporarilyUnavailable("Broker on {}:{} is starting", settings.host(), settings.port());
        } else if (r.started().isCompletedExceptionally()) {
            result.critical("Broker on {}:{} failed to start: {}", settings.host(), settings.port(),
                    rootMessage(r.started().handle((ok, e) -> e).join()));
        } else {
            String probeHost = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(probeHost, settings.port()), 1000);
                if (problem == null) {
                    result.info("Broker listening on {}", settings);
                } else {
                    // one entry, so the status (which joins the messages) leads with the reason
                    result.warn("{} (listening on {})", problem, settings);
                }
                return new Result(result);
            } catch (IOException e) {
                result.critical("Broker on {}:{} does not accept connections: {}", probeHost, settings.port(),
                        e.getMessage());
            }
        }
        if (problem != null) {
            result.warn("{}", problem);
        }
        return new Result(result);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** HiveMQ (Guice, JAXB, its extension loader) looks classes up through the context class loader. */
    private static <T> T withBundleClassLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedBroker.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
