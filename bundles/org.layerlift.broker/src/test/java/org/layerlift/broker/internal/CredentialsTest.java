package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.layerlift.broker.internal.Credentials.Identity.CLIENT;
import static org.layerlift.broker.internal.Credentials.Identity.GATEWAY;
import static org.layerlift.broker.internal.Credentials.Identity.REFUSED;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static Credentials.Identity login(Credentials c, String user, String pass) {
        return c.authenticate(Optional.ofNullable(user),
                Optional.ofNullable(pass).map(p -> ByteBuffer.wrap(p.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anonymousBrokerLetsEveryoneInButOnlyTheGatewayPasswordIsPrivileged() {
        Credentials c = new Credentials("", "", "layerlift-gateway", "gw");
        assertEquals(CLIENT, login(c, null, null));
        assertEquals(CLIENT, login(c, "phone", "anything"));
        assertEquals(GATEWAY, login(c, "layerlift-gateway", "gw"));
        assertEquals(REFUSED, login(c, "layerlift-gateway", "gw2"));
        assertEquals(REFUSED, login(c, "layerlift-gateway", "g"));
        assertEquals(REFUSED, login(c, "layerlift-gateway", ""));
        assertEquals(REFUSED, login(c, "layerlift-gateway", null));
        assertEquals(CLIENT, login(c, "LAYERLIFT-GATEWAY", "gw")); // another name: an ordinary client
    }

    @Test
    void withoutAGatewayPasswordNoLoginIsPrivilegedAndTheNameStaysReserved() {
        Credentials c = new Credentials("", "", "layerlift-gateway", "");
        assertEquals(REFUSED, login(c, "layerlift-gateway", ""));
        assertEquals(REFUSED, login(c, "layerlift-gateway", null));
        assertEquals(CLIENT, login(c, null, null));
    }

    @Test
    void aConfiguredClientLoginIsRequiredOfClients() {
        Credentials c = new Credentials("phone", "pw", "layerlift-gateway", "gw");
        assertEquals(REFUSED, login(c, null, null));
        assertEquals(REFUSED, login(c, "phone", "wrong"));
        assertEquals(REFUSED, login(c, "phone", null));
        assertEquals(REFUSED, login(c, "other", "pw"));
        assertEquals(CLIENT, login(c, "phone", "pw"));
        assertEquals(GATEWAY, login(c, "layerlift-gateway", "gw"));
        assertEquals(REFUSED, login(c, "layerlift-gateway", "pw")); // the client password opens no gateway
    }
}
