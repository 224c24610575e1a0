package org.layerlift.transport.mqtt.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.eclipse.paho.mqttv5.common.MqttException;
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
 * The gateway's MQTT connection as a component: runs one {@link MqttLink} on the configured settings, and its health
 * check. Without a configuration it runs on the shipped defaults ({@link TransportConfig}'s defaults, the embedded
 * broker), so deleting an override from deploy/ brings them back.
 *
 * <p>The connection is the gateway's way to its clients and to its status channel, so a bad configuration never
 * takes it down: activation never fails on one. A refused change is logged once, naming key and value and what is
 * kept, reported by the health check (WARN while connected), and the running connection keeps its last good
 * settings; a refused configuration at activation runs the shipped defaults and says so. A valid change closes the
 * connection and opens one on the new settings (unless nothing changed). (Before, the settings were final and there
 * was no {@code @Modified}: a bad value failed activation, the connection and every service on it were gone, and
 * the health check service answered the status with "Service factory returned null".)
 */
@Component(
        configurationPid = MqttConnection.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = HealthCheck.class,
        property = {
            HealthCheck.NAME + "=LayerLift MQTT transport",
            HealthCheck.TAGS + "=layerlift",
            HealthCheck.TAGS + "=transport"
        })
@Designate(ocd = TransportConfig.class)
public final class MqttConnection implements HealthCheck {

    static final String PID = "org.layerlift.transport.mqtt";

    private final Logger log;
    private final BundleContext context;
    private final Object lock = new Object();

    // guarded by lock; the links themselves are opened and closed outside it (closing one unregisters a service)
    private MqttLink link;
    /** Why the last configuration was refused, or null when the one in force is the one configured. */
    private String refused;
    private boolean closed;

    @Activate
    public MqttConnection(TransportConfig config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) throws MqttException {
        this.log = log;
        this.context = context;
        TransportSettings settings;
        String refusal = null;
        try {
            settings = TransportSettings.from(config);
        } catch (IllegalArgumentException e) {
            settings = TransportSettings.from(ConfigDefaults.of(TransportConfig.class));
            refusal = refusal(e, "running with the shipped defaults " + settings);
            log.error("MQTT transport: {}", refusal);
        }
        MqttLink first = new MqttLink(settings, context, log);
        synchronized (lock) {
            link = first;
            refused = refusal;
        }
    }

    /**
     * A valid change reconnects on the new settings (unless nothing changed); a refused one is logged once and
     * reported, and the connection keeps running as it is.
     */
    @Modified
    void modified(TransportConfig config) throws MqttException {
        TransportSettings next;
        String inForce;
        synchronized (lock) {
            inForce = link.settings().toString();
        }
        try {
            next = TransportSettings.from(config);
        } catch (IllegalArgumentException e) {
            String message = refusal(e, "still running with " + inForce);
            boolean repeated;
            synchronized (lock) {
                repeated = message.equals(refused);
                refused = message;
            }
            if (!repeated) {
                log.error("MQTT transport: {}", message);
            }
            return;
        }
        MqttLink old;
        boolean accepted;
        synchronized (lock) {
            accepted = refused != null;
            refused = null;
            old = link;
        }
        if (accepted) {
            log.info("MQTT transport: configuration accepted again ({})", next);
        }
        if (next.equals(old.settings()) || isClosed()) {
            return;
        }
        log.info("MQTT transport: configuration changed, reconnecting to {}", next);
        old.close();
        MqttLink replacement = new MqttLink(next, context, log);
        boolean keep;
        synchronized (lock) {
            keep = !closed;
            if (keep) {
                link = replacement;
            }
        }
        if (!keep) {
            replacement.close();
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** The message the health check and the log give for a refused configuration. */
    static String refusal(IllegalArgumentException e, String inForce) {
        return "configuration refused: " + TransportSettings.problems(e) + "; " + inForce;
    }

    @Deactivate
    void close() {
        MqttLink last;
        synchronized (lock) {
            closed = true;
            last = link;
        }
        last.close();
    }

    @Override
    public Result execute() {
        MqttLink current;
        String problem;
        synchronized (lock) {
            current = link;
            problem = refused;
        }
        FormattingResultLog result = new FormattingResultLog();
        current.health(result, problem);
        return new Result(result);
    }
}
