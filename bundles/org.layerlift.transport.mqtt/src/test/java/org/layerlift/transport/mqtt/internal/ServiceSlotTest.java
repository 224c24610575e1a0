package org.layerlift.transport.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.layerlift.transport.mqtt.internal.MqttLink.ServiceSlot;

/** The transport's service registration, without a framework or a broker. */
class ServiceSlotTest {

    private final List<String> events = new ArrayList<>();
    private final AtomicReference<ServiceSlot<String>> slot = new AtomicReference<>();
    private Runnable duringRegister = () -> { };
    private int count;

    private ServiceSlot<String> slot() {
        ServiceSlot<String> s = new ServiceSlot<>(() -> {
            // the framework calls out to listeners (a health check, DS) here: no lock of ours may be held
            assertFalse(slot.get().heldByCurrentThread(), "registering under the lock");
            String r = "r" + (++count);
            events.add("register " + r);
            duringRegister.run();
            return r;
        }, r -> {
            assertFalse(slot.get().heldByCurrentThread(), "unregistering under the lock");
            events.add("unregister " + r);
        });
        slot.set(s);
        return s;
    }

    @Test
    void upRegistersOnceAndDownUnregisters() {
        ServiceSlot<String> s = slot();
        s.up();
        s.up();
        assertEquals("r1", s.current());
        s.down();
        assertNull(s.current());
        s.up();
        s.close();
        s.up();
        assertEquals(List.of("register r1", "unregister r1", "register r2", "unregister r2"), events);
        assertNull(s.current());
    }

    /** The connection is lost while the service is being registered: the new registration must not stay. */
    @Test
    void aDisconnectDuringRegistrationWithdrawsIt() {
        ServiceSlot<String> s = slot();
        duringRegister = s::down;
        s.up();
        assertNull(s.current());
        assertEquals(List.of("register r1", "unregister r1"), events);
        duringRegister = () -> { };
        s.up(); // the reconnect registers again
        assertEquals("r2", s.current());
    }

    @Test
    void aCloseDuringRegistrationWithdrawsIt() {
        ServiceSlot<String> s = slot();
        duringRegister = s::close;
        s.up();
        assertNull(s.current());
        assertEquals(List.of("register r1", "unregister r1"), events);
    }
}
