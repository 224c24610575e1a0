package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.broker.internal.NamespacePolicy.Action.PUBLISH;
import static org.layerlift.broker.internal.NamespacePolicy.Action.SUBSCRIBE;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamespacePolicyTest {

    private static final String A = "phone-a";

    private static boolean clientMay(String topic, NamespacePolicy.Action action) {
        return NamespacePolicy.allows(A, false, topic, action);
    }

    private static boolean gatewayMay(String topic, NamespacePolicy.Action action) {
        return NamespacePolicy.allows("layerlift-gw", true, topic, action);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/phone-a", "layerlift/v1/c/phone-a/manifest",
        "layerlift/v1/c/phone-a/q/1/reply", "layerlift/v1/c/phone-a/", "layerlift/v1/c/phone-a//x"})
    void ownNamespaceExactAndBelowCanBePublishedAndSubscribed(String topic) {
        assertTrue(clientMay(topic, PUBLISH), topic);
        assertTrue(clientMay(topic, SUBSCRIBE), topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/phone-a/#", "layerlift/v1/c/phone-a/+", "layerlift/v1/c/phone-a/+/reply",
        "layerlift/v1/c/phone-a/q/#"})
    void wildcardsBelowTheOwnIdAreAllowed(String filter) {
        assertTrue(clientMay(filter, SUBSCRIBE), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/phone-b", "layerlift/v1/c/phone-b/manifest", "layerlift/v1/c/phone-a2/x",
        "layerlift/v1/c/phone", "layerlift/v1/c/PHONE-A/x", "layerlift/v2/c/phone-a/x", "layerlift/v1/x/phone-a/x",
        "other/v1/c/phone-a/x", "/layerlift/v1/c/phone-a/x", "layerlift/v1/c", "layerlift/v1"})
    void anotherNamespaceOrTopicIsRefused(String topic) {
        assertFalse(clientMay(topic, PUBLISH), topic);
        assertFalse(clientMay(topic, SUBSCRIBE), topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/+/x", "layerlift/v1/c/+/#", "layerlift/v1/c/#", "layerlift/v1/#",
        "layerlift/#", "#", "+", "+/v1/c/phone-a/x", "layerlift/+/c/phone-a/x", "layerlift/v1/+/phone-a/x",
        "+/+/+/+/#", "layerlift/v1/gateway/#", "layerlift/v1/gateway/+/+", "layerlift/v1/+/+/status"})
    void wildcardsThatCouldReachOtherNamespacesAreRefused(String filter) {
        assertFalse(clientMay(filter, SUBSCRIBE), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/phone-a/#/x", "layerlift/v1/c/phone-a/x#", "layerlift/v1/c/phone-a/a+b"})
    void malformedFiltersAreRefused(String filter) {
        assertFalse(clientMay(filter, SUBSCRIBE), filter);
    }

    @Test
    void wildcardsInATopicNameAreRefused() {
        assertFalse(clientMay("layerlift/v1/c/phone-a/+", PUBLISH));
        assertFalse(clientMay("layerlift/v1/c/phone-a/#", PUBLISH));
        assertFalse(gatewayMay("layerlift/v1/c/+/manifest", PUBLISH));
    }

    @Test
    void gatewayStatusIsReadableButNotPublishableByClients() {
        assertTrue(clientMay("layerlift/v1/gateway/+/status", SUBSCRIBE));
        assertTrue(clientMay("layerlift/v1/gateway/gw-1/status", SUBSCRIBE));
        assertFalse(clientMay("layerlift/v1/gateway/gw-1/status", PUBLISH));
        assertFalse(clientMay("layerlift/v1/gateway/#", SUBSCRIBE));
        assertFalse(clientMay("layerlift/v1/gateway//status", SUBSCRIBE));
        assertFalse(clientMay("layerlift/v1/gateway/gw-1/status/x", SUBSCRIBE));
        assertFalse(clientMay("layerlift/v1/gateway/gw-1", SUBSCRIBE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a+", "+", "#", "a#b", "a/b", "phone-a/x", "/", "with space", "nul\0", "tab\t"})
    void clientIdsThatCannotBeOneTopicLevelMayDoNothing(String id) {
        for (String topic : new String[] {"layerlift/v1/c/" + id, "layerlift/v1/c/" + id + "/x",
            "layerlift/v1/c/" + id + "/#", "layerlift/v1/gateway/+/status"}) {
            assertFalse(NamespacePolicy.allows(id, false, topic, SUBSCRIBE), id + " " + topic);
            assertFalse(NamespacePolicy.allows(id, false, topic, PUBLISH), id + " " + topic);
        }
    }

    @Test
    void aNullOrVeryLongClientIdMayDoNothing() {
        String id = "x".repeat(129);
        assertFalse(NamespacePolicy.allows(id, false, "layerlift/v1/c/" + id + "/x", PUBLISH));
        assertFalse(NamespacePolicy.allows(id, false, "layerlift/v1/gateway/+/status", SUBSCRIBE));
        assertFalse(NamespacePolicy.allows(null, false, "layerlift/v1/gateway/+/status", SUBSCRIBE));
        String longest = "x".repeat(128);
        assertTrue(NamespacePolicy.allows(longest, false, "layerlift/v1/c/" + longest + "/x", PUBLISH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/g/layerlift/v1/c/phone-a/x", "$share/g/layerlift/v1/c/+/x", "$SYS/#",
        "$SYS/broker/clients/connected", "$share/g/#"})
    void sharedSubscriptionsAndSysAreRefusedToClients(String filter) {
        assertFalse(clientMay(filter, SUBSCRIBE), filter);
        assertFalse(clientMay(filter, PUBLISH), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/+/manifest", "layerlift/v1/c/phone-b/reply", "layerlift/v1/#",
        "layerlift/v1/gateway/gw-1/status", "layerlift/v1/c/#", "layerlift/v1/+/+/status"})
    void theGatewayMaySubscribeAnywhereInsideTheRoot(String filter) {
        assertTrue(gatewayMay(filter, SUBSCRIBE), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layerlift/v1/c/phone-a/reply", "layerlift/v1/c/phone-b/x/y",
        "layerlift/v1/gateway/gw-1/status"})
    void theGatewayMayPublishIntoEveryNamespaceAndItsStatus(String topic) {
        assertTrue(gatewayMay(topic, PUBLISH), topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+/v1/#", "layerlift/#", "layerlift/+/c/x", "$SYS/#", "$share/g/layerlift/v1/c/+/x",
        "other/topic", "layerlift/v2/x"})
    void theGatewayIsLimitedToTheRoot(String filter) {
        assertFalse(gatewayMay(filter, SUBSCRIBE), filter);
    }

    @Test
    void theGatewayNeedsNoValidClientIdButEmptyTopicsStayRefused() {
        assertTrue(NamespacePolicy.allows("", true, "layerlift/v1/c/a/x", PUBLISH));
        assertFalse(NamespacePolicy.allows("gw", true, "", PUBLISH));
        assertFalse(NamespacePolicy.allows("gw", true, null, SUBSCRIBE));
    }

    @Test
    void refusalsSayWhy() {
        var d = NamespacePolicy.decide(A, false, "layerlift/v1/c/phone-b/x", PUBLISH);
        assertFalse(d.allowed());
        assertTrue(d.reason().contains("own client id"), d.reason());
        assertTrue(NamespacePolicy.decide("a/b", false, "x", PUBLISH).reason().contains("'/'"));
    }
}
