package org.layerlift.transport.mqtt.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.felix.hc.api.FormattingResultLog;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.layerlift.api.transport.InboundMessage;
import org.layerlift.api.transport.MessageHandler;
import org.layerlift.api.transport.MessageTransport;
import org.layerlift.api.transport.OutboundMessage;
import org.layerlift.api.transport.Subscription;
import org.layerlift.api.transport.Topics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;

/**
 * One MQTT connection with one fixed {@link TransportSettings}. Connects, and after any failure or loss reconnects
 * with a doubling backoff; while the connection is up it registers a {@link MessageTransport} service, so users of
 * the bus simply require that service. The broker keeps a retained "offline" status as this client's will, so a
 * crash is visible too. {@link MqttConnection} (the component) owns one at a time and replaces it when a valid new
 * configuration arrives.
 */
final class MqttLink implements MqttCallback {

    private static final long DISCONNECT_TIMEOUT_MS = 2000;

    private final Logger log;
    private final TransportSettings settings;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService scheduler;
    private final InboundDispatcher dispatcher;
    private final int receiveMaximum;
    private final int outboundLimit;
    /** publishes waiting for a slot, bounded */
    private final java.util.concurrent.BlockingQueue<Outbound> outbound;

    private record Outbound(OutboundMessage message, CompletableFuture<Void> done) {}
    /** subscriptions made through the service; renewed after every reconnect until closed */
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();

    /** the service while connected: registered and unregistered outside any lock */
    private final ServiceSlot<ServiceRegistration<MessageTransport>> registration;

    // guarded by this
    private boolean closing;
    private int failedAttempts;
    private String lastError = "not yet connected";
    private Instant connectedSince;
    /** in-flight publishes, bounded by the broker's Receive Maximum of the current connection */
    private Semaphore publishSlots = new Semaphore(10);

    /** Starts connecting (on a thread of its own); the service is registered once connected. */
    MqttLink(TransportSettings settings, BundleContext context, Logger log) throws MqttException {
        this.log = log;
        this.settings = settings;
        this.receiveMaximum = settings.receiveMaximum();
        this.outboundLimit = settings.outboundQueue();
        this.outbound = new java.util.concurrent.ArrayBlockingQueue<>(outboundLimit);
        this.dispatcher = new InboundDispatcher(settings.limits(),
                failure -> log.error("MQTT transport: a message handler failed: {}", failure.toString()));
        this.registration = new ServiceSlot<>(() -> {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(MessageTransport.BROKER_URI, settings.brokerUri());
            return context.registerService(MessageTransport.class, new Transport(), props);
        }, r -> {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        });
        this.client = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
        client.setCallback(this);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "layerlift-mqtt-connect");
            t.setDaemon(true);
            return t;
        });
        log.info("MQTT transport: connecting to {}", settings);
        scheduler.execute(this::connect);
    }

    TransportSettings settings() {
        return settings;
    }

    /** Disconnects (saying "offline" first) and unregisters the service; for good. */
    void close() {
        synchronized (this) {
            closing = true;
        }
        scheduler.shutdownNow();
        registration.close();
        dispatcher.close();
        if (client.isConnected()) {
            try {
                // say goodbye explicitly: a clean DISCONNECT does not fire the will
                byte[] offline = StatusMessage.offline(settings.clientId()).toJson();
                client.publish(Topics.gatewayStatus(settings.clientId()), offline, 1, true)
                        .waitForCompletion(DISCONNECT_TIMEOUT_MS);
                client.disconnect(DISCONNECT_TIMEOUT_MS).waitForCompletion(DISCONNECT_TIMEOUT_MS);
            } catch (MqttException e) {
                log.warn("MQTT transport: unclean disconnect from {}: {}", settings.brokerUri(), e.getMessage());
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("MQTT transport: close: {}", e.getMessage());
        }
        log.info("MQTT transport: closed connection to {}", settings.brokerUri());
    }

    private void connect() {
        synchronized (this) {
            if (closing) {
                return;
            }
        }
        try {
            client.connect(options(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    Integer brokerMaximum = token.getResponseProperties() == null ? null
                            : token.getResponseProperties().getReceiveMaximum();
                    connected(brokerMaximum == null ? 65535 : brokerMaximum);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    connectionFailed(failure);
                }
            });
        } catch (Exception e) {
            // a bad trust store, an unknown host, a refused connection: all retried the same way
            connectionFailed(e);
        }
    }

    private MqttConnectionOptions options() throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout(settings.connectTimeoutSeconds());
        options.setAutomaticReconnect(false); // we reconnect ourselves, also when the very first attempt fails
        options.setReceiveMaximum(receiveMaximum);
        if (!settings.username().isEmpty()) {
            options.setUserName(settings.username());
            options.setPassword(settings.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        MqttMessage will = new MqttMessage(StatusMessage.offline(settings.clientId()).toJson(), 1, true,
                new MqttProperties());
        options.setWill(Topics.gatewayStatus(settings.clientId()), will);
        if (settings.tls()) {
            options.setSocketFactory(new NoDelaySocketFactory(settings.truststore() != null
                    ? sslContext().getSocketFactory() : javax.net.ssl.SSLSocketFactory.getDefault()));
        } else if (!settings.brokerUri().startsWith("ws")) {
            options.setSocketFactory(new NoDelaySocketFactory(javax.net.SocketFactory.getDefault()));
        }
        return options;
    }

    private SSLContext sslContext() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(settings.truststore())) {
            store.load(in, settings.truststorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private void connected(int brokerReceiveMaximum) {
        synchronized (this) {
            if (closing) {
                return;
            }
            // Paho refuses publishes beyond the broker's Receive Maximum instead of queueing them (32202)
            publishSlots = new Semaphore(Math.max(1, brokerReceiveMaximum));
            failedAttempts = 0;
            connectedSince = Instant.now();
            lastError = null;
        }
        // subscriptions first (asynchronously: never block inside a Paho callback), then the service
        for (Sub sub : subscriptions) {
            sub.renew();
        }
        registration.up();
        log.info("MQTT transport: connected to {}", settings);
        String hint = statusCommand(settings.brokerUri());
        if (hint != null) {
            log.info("Broker is up; gateway status: {}", hint);
        }
    }

    /** The mosquitto_sub command that prints the gateway status from the broker at {@code brokerUri}, or null. */
    static String statusCommand(String brokerUri) {
        try {
            java.net.URI uri = new java.net.URI(brokerUri);
            if (uri.getHost() == null) {
                return null;
            }
            boolean tls = "ssl".equals(uri.getScheme()) || "mqtts".equals(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
            return "mosquitto_sub -V mqttv5 -h " + uri.getHost() + " -p " + port
                    + " -t 'layerlift/v1/gateway/+/status' -C 1" + (tls ? " --cafile <ca.pem>" : "");
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private void connectionFailed(Throwable failure) {
        long delay;
        synchronized (this) {
            if (closing) {
                return;
            }
            failedAttempts++;
            lastError = describe(failure);
            delay = Math.min(settings.maxReconnectDelaySeconds(), 1L << Math.min(failedAttempts - 1, 12));
        }
        // the first failures are expected while an embedded broker starts; say so quietly, then loudly
        if (failedAttempts <= 3) {
            log.info("MQTT transport: {} not reachable yet ({}); retrying in {} s", settings.brokerUri(), lastError, delay);
        } else {
            log.warn("MQTT transport: {} unreachable after {} attempts ({}); retrying in {} s", settings.brokerUri(),
                    failedAttempts, lastError, delay);
        }
        scheduleConnect(delay);
    }

    private void scheduleConnect(long delaySeconds) {
        try {
            scheduler.schedule(this::connect, delaySeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        String reason = response.getException() != null ? describe(response.getException())
                : "broker sent DISCONNECT (reason " + response.getReturnCode() + ")";
        synchronized (this) {
            if (closing) {
                return;
            }
            lastError = reason;
            connectedSince = null;
        }
        log.warn("MQTT transport: lost connection to {}: {}; reconnecting", settings.brokerUri(), reason);
        registration.down();
        scheduleConnect(1);
    }

    /**
     * Adds this connection's state to {@code result}: INFO while connected, CRITICAL otherwise; {@code refused},
     * when not null, leads the entry (WARN while connected) so the status shows the reason first.
     */
    void health(FormattingResultLog result, String refused) {
        boolean clientConnected = client.isConnected(); // asked outside the lock
        Instant since;
        String error;
        int attempts;
        synchronized (this) {
            since = connectedSince;
            error = lastError;
            attempts = failedAttempts;
        }
        if (since != null && clientConnected) {
            if (refused == null) {
                result.info("Connected to {} since {}", settings, since);
            } else {
                // one entry, so the status (which joins the messages) leads with the reason
                result.warn("{} (connected to {} since {})", refused, settings, since);
            }
        } else {
            result.critical("Not connected to {}: {} ({} failed attempts)", settings, error, attempts);
            if (refused != null) {
                result.warn("{}", refused);
            }
        }
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == t ? message : t.getMessage() + ": " + message;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        log.warn("MQTT transport: protocol error from {}: {}", settings.brokerUri(), exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // nothing subscribes yet
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    /**
     * One service that should be registered while a condition holds (here: while connected). What to do is decided
     * under the slot's own lock, and the registering or unregistering is done after it, so no lock is held while the
     * framework calls out (to service listeners, DS, a health check). A registration that a {@link #down()} or
     * {@link #close()} overtook while it was being made is withdrawn at once, so the slot never keeps a service for a
     * connection that is gone.
     */
    static final class ServiceSlot<R> {

        private final java.util.function.Supplier<R> register;
        private final java.util.function.Consumer<R> unregister;
        private final Object lock = new Object();
        // guarded by lock
        private R current;
        private boolean up;
        private boolean closed;
        /** counts every up and down, so a registration knows whether it is still wanted when it completes */
        private long epoch;

        ServiceSlot(java.util.function.Supplier<R> register, java.util.function.Consumer<R> unregister) {
            this.register = register;
            this.unregister = unregister;
        }

        /** The condition holds: registers the service unless it is there (or the slot is closed). */
        void up() {
            long mine;
            synchronized (lock) {
                if (closed || up) {
                    return;
                }
                up = true;
                mine = ++epoch;
            }
            R r = register.get();
            boolean keep;
            synchronized (lock) {
                keep = !closed && up && epoch == mine && current == null;
                if (keep) {
                    current = r;
                }
            }
            if (!keep) {
                unregister.accept(r);
            }
        }

        /** The condition no longer holds: unregisters the service, or withdraws one being registered. */
        void down() {
            R r;
            synchronized (lock) {
                up = false;
                epoch++;
                r = current;
                current = null;
            }
            if (r != null) {
                unregister.accept(r);
            }
        }

        /** For good: unregisters, and nothing is registered afterwards. */
        void close() {
            synchronized (lock) {
                closed = true;
            }
            down();
        }

        /** The registration held now, or null. */
        R current() {
            synchronized (lock) {
                return current;
            }
        }

        /** Whether the calling thread holds the slot's lock (for tests: the framework is never called with it). */
        boolean heldByCurrentThread() {
            return Thread.holdsLock(lock);
        }
    }

    /** The service handed out while connected. */
    private final class Transport implements MessageTransport {

        @Override
        public String clientId() {
            return settings.clientId();
        }

        @Override
        public CompletionStage<Void> publish(OutboundMessage message) {
            Outbound o = new Outbound(message, new CompletableFuture<>());
            Semaphore slots;
            synchronized (MqttLink.this) {
                slots = publishSlots;
            }
            // never wait here: publishes are made from Paho's callback thread too, which also completes the
            // publishes that would free a slot. Beyond the broker's Receive Maximum they wait in a bounded queue.
            if (slots.tryAcquire()) {
                send(o, slots);
            } else if (!outbound.offer(o)) {
                o.done().completeExceptionally(new IllegalStateException("outbound queue full ("
                        + outboundLimit + " messages wait for the broker): message to " + message.topic()
                        + " dropped"));
            } else if (slots.tryAcquire()) {
                // a slot came free between the two attempts: it goes to whatever waits first (or back)
                send(outbound.poll(), slots);
            }
            return o.done();
        }

        /**
         * Sends with a slot held; when a message is in flight its completion hands the slot on. A publish that fails at
         * once passes the slot to the next waiting message here, in a loop: a chain of such failures (a lost
         * connection and a full queue) must not nest one call per message.
         */
        private void send(Outbound first, Semaphore slots) {
            for (Outbound o = first; o != null; o = outbound.poll()) {
                if (publish(o, slots)) {
                    return;
                }
            }
            slots.release();
        }

        /** Publishes one message; false when Paho refused it at once (its stage is failed then). */
        private boolean publish(Outbound o, Semaphore slots) {
            OutboundMessage message = o.message();
            try {
                MqttProperties properties = new MqttProperties();
                if (message.responseTopic() != null) {
                    properties.setResponseTopic(message.responseTopic());
                }
                if (message.correlationData() != null) {
                    properties.setCorrelationData(message.correlationData());
                }
                MqttMessage m = new MqttMessage(message.payload(), message.qos(), message.retained(), properties);
                client.publish(message.topic(), m, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        send(outbound.poll(), slots);
                        o.done().complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        send(outbound.poll(), slots);
                        o.done().completeExceptionally(failure);
                    }
                });
                return true;
            } catch (MqttException | RuntimeException e) {
                o.done().completeExceptionally(e);
                return false;
            }
        }

        @Override
        public Subscription subscribe(String filter, int qos, MessageHandler handler) {
            if (filter == null || filter.isEmpty() || qos < 0 || qos > 2 || handler == null) {
                throw new IllegalArgumentException("subscribe needs a topic filter, QoS 0..2 and a handler");
            }
            Sub sub = new Sub(filter, qos, handler);
            subscriptions.add(sub);
            sub.renew();
            return sub;
        }
    }

    /** One subscription made through the service. */
    private final class Sub implements Subscription, IMqttMessageListener {

        private final String filter;
        private final int qos;
        private final MessageHandler handler;
        private volatile boolean closed;

        Sub(String filter, int qos, MessageHandler handler) {
            this.filter = filter;
            this.qos = qos;
            this.handler = handler;
        }

        /** (Re)subscribes on the current connection, asynchronously. */
        void renew() {
            if (closed || !client.isConnected()) {
                return;
            }
            try {
                client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}, null,
                        new MqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                int[] codes = token.getReasonCodes();
                                if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                                    log.error("MQTT transport: {} refused the subscription to {} (reason 0x{})",
                                            settings.brokerUri(), filter, Integer.toHexString(codes[0]));
                                }
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable failure) {
                                log.warn("MQTT transport: subscribing to {} failed: {}", filter, describe(failure));
                            }
                        }, new IMqttMessageListener[] {this}, new MqttProperties());
            } catch (MqttException | RuntimeException e) {
                log.warn("MQTT transport: subscribing to {} failed: {}", filter, describe(e));
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (closed) {
                return;
            }
            MqttProperties p = message.getProperties();
            InboundMessage in = new InboundMessage(topic, message.getPayload(), message.getQos(),
                    p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData());
            dispatcher.dispatch(in, handler);
        }

        @Override
        public String filter() {
            return filter;
        }

        @Override
        public void close() {
            closed = true;
            subscriptions.remove(this);
            if (client.isConnected()) {
                try {
                    client.unsubscribe(filter);
                } catch (MqttException | RuntimeException e) {
                    log.debug("MQTT transport: unsubscribing {}: {}", filter, e.getMessage());
                }
            }
        }
    }
}
