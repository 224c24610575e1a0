package org.layerlift.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.layerlift.api.inference.InferenceExecutor;
import org.layerlift.api.inference.RuntimeCheck;
import org.layerlift.api.transport.MessageTransport;
import org.layerlift.api.transport.Topics;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the gateway's real bundles in Felix (one framework for the class) and checks what a user relies on: components
 * come up, the embedded broker serves MQTT 5 with the retained status, bundles hot-deploy, ONNX Runtime computes inside
 * the framework, and configuration changes (good and bad) take effect.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayIT {

    private static final String BROKER_PID = "org.layerlift.broker";
    private static final String TRANSPORT_PID = "org.layerlift.transport.mqtt";
    private static final String GATEWAY_ID = "itest-gw";
    /** The gateway's privileged broker login: only it may publish the status and use every client's namespace. */
    private static final String GATEWAY_USER = "layerlift-gateway";
    private static final String GATEWAY_PASSWORD = "itest-gateway";
    private static final long WAIT_MS = 60_000;

    @Inject
    private BundleContext context;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private HealthCheckExecutor health;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws IOException {
        return GatewayOptions.gateway();
    }

    private int brokerPort() {
        return Integer.parseInt(context.getProperty(GatewayOptions.BROKER_PORT));
    }

    /** The tests' equivalent of the runtime's Configurator defaults, on a free port. */
    @Before
    public void configureGateway() throws Exception {
        put(BROKER_PID, "port", brokerPort(), "host", "127.0.0.1", "gateway.username", GATEWAY_USER,
                "gateway.password", GATEWAY_PASSWORD);
        put(TRANSPORT_PID, "broker.uri", "tcp://127.0.0.1:" + brokerPort(), "client.id", GATEWAY_ID,
                "username", GATEWAY_USER, "password", GATEWAY_PASSWORD);
        awaitTransport("tcp://127.0.0.1:" + brokerPort());
    }

    @Test
    public void gatewayBundlesStartAndTheirComponentsAreActive() throws Exception {
        for (String bsn : new String[] {"org.layerlift.api", "org.layerlift.broker", "org.layerlift.transport.mqtt",
            "org.layerlift.inference.onnx", "org.layerlift.gateway", "org.layerlift.wrap.paho",
            "org.layerlift.wrap.onnxruntime"}) {
            Bundle b = bundle(bsn);
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
        List<String> expected = List.of("org.layerlift.broker.internal.EmbeddedBroker",
                "org.layerlift.transport.mqtt.internal.MqttConnection",
                "org.layerlift.transport.mqtt.internal.StatusPublisher",
                "org.layerlift.inference.onnx.internal.OnnxInferenceExecutor",
                "org.layerlift.inference.onnx.internal.OnnxSegmentExecutor",
                "org.layerlift.gateway.internal.GatewayStatusService",
                "org.layerlift.gateway.internal.ComponentsHealthCheck",
                "org.layerlift.gateway.internal.GatewayCommands");
        awaitTrue(() -> notActive(expected).isEmpty(), "components active: " + expected);
    }

    @Test
    public void embeddedBrokerServesMqtt5AndTheRetainedStatusArrives() throws Exception {
        // a client that connects after the status was published still gets it: it is retained
        try (StatusSubscriber sub = new StatusSubscriber(brokerPort(), Topics.gatewayStatus(GATEWAY_ID))) {
            JsonNode status = sub.await(s -> "online".equals(s.path("state").asText())
                    && StatusSubscriber.hasBundle(s, "org.layerlift.transport.mqtt", "ACTIVE")
                    && StatusSubscriber.hasBundle(s, "org.layerlift.broker", "ACTIVE"), WAIT_MS, "online");
            assertEquals(GATEWAY_ID, status.path("gatewayId").asText());
            assertTrue(status.path("components").size() >= 7);
            assertTrue(status.toString(), status.path("checks").size() >= 4);
        }
    }

    @Test
    public void bundleDroppedIntoDeployFolderBecomesActiveAndItsRemovalIsSeen() throws Exception {
        Path sample = Path.of(context.getProperty(GatewayOptions.SAMPLES_DIR), "commons-lang3.jar");
        Path deployed = Path.of(context.getProperty(GatewayOptions.DEPLOY_DIR), "commons-lang3.jar");
        try (StatusSubscriber sub = new StatusSubscriber(brokerPort(), Topics.gatewayStatus(GATEWAY_ID))) {
            sub.await(s -> "online".equals(s.path("state").asText()), WAIT_MS, "online");
            long t0 = System.nanoTime();
            Files.copy(sample, deployed, StandardCopyOption.REPLACE_EXISTING);
            sub.await(s -> StatusSubscriber.hasBundle(s, "org.apache.commons.lang3", "ACTIVE"), 15_000,
                    "listing the hot-deployed bundle as ACTIVE");
            System.out.printf("hot deploy: active in the status %d ms after the copy%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            Files.delete(deployed);
            sub.await(s -> !StatusSubscriber.mentionsBundle(s, "org.apache.commons.lang3"), 15_000,
                    "without the removed bundle");
        } finally {
            Files.deleteIfExists(deployed);
        }
    }

    @Test
    public void jarThatIsNoBundleIsReportedAndTheGatewayKeepsServing() throws Exception {
        Path deployed = Path.of(context.getProperty(GatewayOptions.DEPLOY_DIR), "not-a-bundle.jar");
        try (StatusSubscriber sub = new StatusSubscriber(brokerPort(), Topics.gatewayStatus(GATEWAY_ID))) {
            try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(deployed))) {
                zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
                zip.write("plain jar".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            sub.await(s -> s.path("problems").toString().contains("deploy/not-a-bundle.jar is not an OSGi bundle"),
                    15_000, "reporting the jar that is no bundle");
            Files.delete(deployed);
            JsonNode after = sub.await(s -> !s.path("problems").toString().contains("not-a-bundle.jar"), 15_000,
                    "without the problem once the file is gone");
            assertEquals("online", after.path("state").asText());
        } finally {
            Files.deleteIfExists(deployed);
        }
    }

    @Test
    public void onnxRuntimeRunsAModelInsideTheFramework() throws Exception {
        ServiceTracker<InferenceExecutor, InferenceExecutor> tracker = new ServiceTracker<>(context,
                InferenceExecutor.class, null);
        tracker.open();
        try {
            InferenceExecutor executor = tracker.waitForService(WAIT_MS);
            assertTrue("no InferenceExecutor service", executor != null);
            RuntimeCheck check = executor.selfCheck();
            assertTrue(check.detail(), check.ok());
            assertTrue(check.runtime(), check.runtime().startsWith("ONNX Runtime 1.24"));
            // and ORT's classes come from the one wrapper bundle, not from anywhere else
            Bundle ort = bundle("org.layerlift.wrap.onnxruntime");
            assertEquals(ort, org.osgi.framework.FrameworkUtil.getBundle(
                    ort.loadClass("ai.onnxruntime.OrtEnvironment")));
        } finally {
            tracker.close();
        }
    }

    @Test
    public void configurationChangeReconnectsUnderTheNewClientId() throws Exception {
        try (StatusSubscriber sub = new StatusSubscriber(brokerPort(), Topics.gatewayStatus("itest-renamed"))) {
            put(TRANSPORT_PID, "broker.uri", "tcp://127.0.0.1:" + brokerPort(), "client.id", "itest-renamed",
                    "username", GATEWAY_USER, "password", GATEWAY_PASSWORD);
            JsonNode status = sub.await(s -> "online".equals(s.path("state").asText()), WAIT_MS,
                    "online under the new client id");
            assertEquals("itest-renamed", status.path("gatewayId").asText());
        }
    }

    @Test
    public void badBrokerConfigurationIsRefusedAndTheBrokerKeepsRunningWithItsReasonInStatusAndHealth()
            throws Exception {
        // the status still travels over the embedded broker: it keeps its last good configuration
        try (StatusSubscriber sub = new StatusSubscriber(brokerPort(), Topics.gatewayStatus(GATEWAY_ID))) {
            put(BROKER_PID, "port", 70000, "host", "127.0.0.1", "gateway.username", GATEWAY_USER,
                    "gateway.password", GATEWAY_PASSWORD);
            JsonNode status = sub.await(s -> brokerCheck(s).contains("port=70000 (must be 1..65535)"), WAIT_MS,
                    "naming the bad port");
            assertTrue(brokerCheck(status), brokerCheck(status).startsWith("WARN")
                    && brokerCheck(status).contains("still running with host=127.0.0.1, port=" + brokerPort()));
            for (JsonNode c : status.path("components")) {
                if (c.path("name").asText().endsWith("EmbeddedBroker")) {
                    assertEquals(c.toString(), "ACTIVE", c.path("state").asText());
                }
            }
            String broker = healthMessage("LayerLift embedded MQTT broker");
            assertTrue(broker, broker.startsWith("WARN") && broker.contains("port=70000"));
            assertTrue(bundle("org.layerlift.inference.onnx").getState() == Bundle.ACTIVE);
        } finally {
            put(BROKER_PID, "port", brokerPort(), "host", "127.0.0.1", "gateway.username", GATEWAY_USER,
                    "gateway.password", GATEWAY_PASSWORD);
        }
    }

    private static String brokerCheck(JsonNode status) {
        for (JsonNode c : status.path("checks")) {
            if ("LayerLift embedded MQTT broker".equals(c.path("name").asText())) {
                return c.path("status").asText() + " " + c.path("message").asText();
            }
        }
        return "";
    }

    private static String componentsCheck(JsonNode status) {
        for (JsonNode c : status.path("checks")) {
            if ("LayerLift components".equals(c.path("name").asText())) {
                return c.path("status").asText() + " " + c.path("message").asText();
            }
        }
        return "";
    }

    private static String brokerFailure(JsonNode status) {
        for (JsonNode c : status.path("components")) {
            if (c.path("name").asText().endsWith("EmbeddedBroker") && "FAILED_ACTIVATION".equals(
                    c.path("state").asText())) {
                return c.path("reason").asText();
            }
        }
        return "";
    }

    private String healthMessage(String name) {
        for (HealthCheckExecutionResult r : health.execute(HealthCheckSelector.tags("layerlift"))) {
            if (r.getHealthCheckMetadata().getName().equals(name)) {
                StringBuilder out = new StringBuilder(r.getHealthCheckResult().getStatus().name());
                r.getHealthCheckResult().forEach(e -> out.append(" | ").append(e.getMessage()));
                return out.toString();
            }
        }
        fail("no health check named " + name);
        return null;
    }

    private List<String> notActive(List<String> names) {
        List<String> missing = new ArrayList<>(names);
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED) {
                    missing.remove(d.name);
                }
            }
        }
        return missing;
    }

    private void put(String pid, Object... keyValues) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        Dictionary<String, Object> current = c.getProperties();
        if (current != null && sameValues(current, props)) {
            return;
        }
        c.update(props);
    }

    private static boolean sameValues(Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        for (var keys = wanted.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!wanted.get(k).equals(current.get(k))) {
                return false;
            }
        }
        return true;
    }

    private void awaitTransport(String uri) throws InterruptedException {
        awaitTrue(() -> {
            try {
                return context.getServiceReferences(MessageTransport.class,
                        "(" + MessageTransport.BROKER_URI + "=" + uri + ")").size() == 1;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }, "transport connected to " + uri);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
