package org.layerlift.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LayerLift embedded MQTT broker",
        description = "The MQTT 5 broker the gateway starts when no external broker is used")
@interface BrokerConfig {
    // The defaults are the shipped defaults (runtime configuration.json sets the same values): deleting an override
    // from deploy/ deletes the whole configuration, and the broker must then come back on exactly these.

    @AttributeDefinition(description = "Address to listen on; 127.0.0.1 keeps the broker local, 0.0.0.0 opens it to the network")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port for MQTT", min = "1", max = "65535")
    int port() default 1883;

    @AttributeDefinition(description = "Largest MQTT packet accepted, in bytes (MQTT 5 allows up to 268435460)",
            min = "1024", max = "268435460")
    int max_packet_size() default 268_435_460;

    @AttributeDefinition(description = "If set, clients must log in with this user name and the password below; "
            + "empty: clients connect anonymously (allowed only while host is a loopback address)")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password for the user name above")
    String password() default "";

    @AttributeDefinition(description = "User name of the gateway's own connection (the MQTT transport): the only "
            + "login that may use every client's namespace; reserved, a wrong password for it is refused")
    String gateway_username() default "layerlift-gateway";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of gateway.username (the transport's "
            + "password must be the same); empty: no login is privileged, so the gateway cannot serve clients")
    String gateway_password() default "layerlift-local";

    @AttributeDefinition(description = "in-memory (nothing survives a restart) or file (sessions and retained messages persist)",
            options = {})
    String persistence() default "in-memory";

    @AttributeDefinition(description = "Folder for the broker's data; empty: the bundle's private data area")
    String data_dir() default "";
}
