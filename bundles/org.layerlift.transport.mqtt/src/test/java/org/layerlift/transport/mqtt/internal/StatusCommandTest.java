package org.layerlift.transport.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The line the transport logs once connected tells how to read the gateway status from that broker. */
class StatusCommandTest {

    @Test
    void namesTheBrokersHostAndPort() {
        assertEquals("mosquitto_sub -V mqttv5 -h 127.0.0.1 -p 1884 -t 'layerlift/v1/gateway/+/status' -C 1",
                MqttLink.statusCommand("tcp://127.0.0.1:1884"));
        assertEquals("mosquitto_sub -V mqttv5 -h broker.example -p 1883 -t 'layerlift/v1/gateway/+/status' -C 1",
                MqttLink.statusCommand("tcp://broker.example"));
    }
}
