package org.layerlift.transport.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LayerLift MQTT transport",
        description = "The gateway's MQTT 5 connection: the embedded broker by default, or any external MQTT 5 broker")
@interface TransportConfig {

    @AttributeDefinition(description = "Broker URI: tcp://host:port, ssl://host:port, ws://host:port/path or wss://...")
    String broker_uri() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(description = "MQTT client id, also the gateway id in topics; empty: layerlift-<host name>")
    String client_id() default "";

    @AttributeDefinition(description = "User name for the broker; empty: connect anonymously")
    String username() default "layerlift-gateway";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password for the user name")
    String password() default "layerlift-local";

    @AttributeDefinition(description = "Trust store (PKCS12 or JKS) for ssl:// and wss://; empty: the JVM's default CAs")
    String tls_truststore() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the trust store")
    String tls_truststore_password() default "";

    @AttributeDefinition(description = "Seconds between keep-alive pings", min = "1", max = "65535")
    int keepalive_s() default 30;

    @AttributeDefinition(description = "Seconds to wait for a connection attempt", min = "1", max = "600")
    int connect_timeout_s() default 10;

    @AttributeDefinition(description = "Longest pause between reconnection attempts, seconds (backoff doubles up to it)",
            min = "1", max = "3600")
    int max_reconnect_delay_s() default 15;

    @AttributeDefinition(description = "Threads that handle received messages", min = "1", max = "256")
    int workers() default 4;

    @AttributeDefinition(description = "Received messages waiting for a worker, at most (beyond: refused as overloaded)",
            min = "1", max = "65536")
    int queue() default 64;

    @AttributeDefinition(description = "Messages of one client in progress at once, at most (beyond: refused as overloaded)",
            min = "1", max = "65535")
    int per_client_inflight() default 8;

    @AttributeDefinition(description = "Largest received payload handled, bytes (larger ones are refused)",
            min = "1024", max = "268435455")
    int max_payload_bytes() default 16 * 1024 * 1024;

    @AttributeDefinition(description = "MQTT 5 Receive Maximum the gateway announces: unacknowledged QoS 1/2 messages "
            + "the broker may send it at once", min = "1", max = "65535")
    int receive_maximum() default 64;

    @AttributeDefinition(description = "Publishes that may wait while the broker's Receive Maximum of them are in "
            + "flight (beyond: dropped with an error)", min = "1", max = "1000000")
    int outbound_queue() default 4096;
}
