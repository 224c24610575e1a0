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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs HiveMQ CE inside the gateway while its configuration exists (the runtime ships one; delete it, or leave this
 * bundle out, when the transport uses an external broker). Starting takes a few seconds, so it happens off the activation thread; the
 * transport reconnects until the listener is up, and the health check says where the broker stands.
 */
@Component(
        configurationPid = EmbeddedBroker.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
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

    private final Logger log;
    private final BrokerSettings settings;
    private final EmbeddedHiveMQ hivemq;
    private final CompletableFuture<Void> started;

    @Activate
    public EmbeddedBroker(BrokerConfig config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this.log = log;
        // throws, and so fails activation, on any bad value, and on a network listener without credentials
        this.settings = BrokerSettings.of(config.host(), config.port(), config.max_packet_size(), config.username(),
                config.password(), config.gateway_username(), config.gateway_password(), config.persistence(),
                config.data_dir(), context.getDataFile("hivemq").toPath());
        Path data = Files.createDirectories(settings.dataDir().resolve("data"));
        Path conf = Files.createDirectories(settings.dataDir().resolve("conf"));
        Path extensions = Files.createDirectories(settings.dataDir().resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), settings.hivemqConfigXml(), StandardCharsets.UTF_8);
        this.hivemq = withBundleClassLoader(() -> EmbeddedHiveMQ.builder()
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
        log.info("Starting embedded MQTT 5 broker on {}", settings);
        long t0 = System.nanoTime();
        this.started = withBundleClassLoader(hivemq::start);
        started.whenComplete((ok, failure) -> {
            if (failure == null) {
                log.info("Embedded MQTT broker listening on {}:{} after {} ms", settings.host(), settings.port(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            } else {
                log.error("Embedded MQTT broker failed to start on {}:{}: {}", settings.host(), settings.port(),
                        rootMessage(failure));
            }
        });
    }

    /** Completes once HiveMQ listens (or has failed to start); for tests. */
    CompletableFuture<Void> started() {
        return started;
    }

    @Deactivate
    void stop() {
        try {
            started.get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // failed or never came up: still release whatever it holds
        }
        try {
            withBundleClassLoader(hivemq::stop).get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            hivemq.close();
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
        if (!started.isDone()) {
            result.temporarilyUnavailable("Broker on {}:{} is starting", settings.host(), settings.port());
        } else if (started.isCompletedExceptionally()) {
            result.critical("Broker on {}:{} failed to start: {}", settings.host(), settings.port(),
                    rootMessage(started.handle((ok, e) -> e).join()));
        } else {
            String probeHost = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(probeHost, settings.port()), 1000);
                result.info("Broker listening on {}", settings);
            } catch (IOException e) {
                result.critical("Broker on {}:{} does not accept connections: {}", probeHost, settings.port(),
                        e.getMessage());
            }
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
