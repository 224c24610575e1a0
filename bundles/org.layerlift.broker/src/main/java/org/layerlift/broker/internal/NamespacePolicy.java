package org.layerlift.broker.internal;

import java.util.Arrays;
import org.layerlift.api.transport.Topics;

/**
 * Who may publish to or subscribe to what on the gateway's broker. Pure logic, no broker types, so the same rules can
 * be tested here and mirrored in the Mosquitto ACL ({@code runtime/mosquitto/layerlift.acl}).
 *
 * <p>A <em>client</em> (anything that is not the gateway) may publish to and subscribe to its own namespace
 * {@code layerlift/v1/c/<its client id>} and everything below it, wildcards included as long as they sit below its
 * id; it may also subscribe to the retained gateway status {@code layerlift/v1/gateway/<id or +>/status}, but not
 * publish there. Nothing else: no other client's namespace, no filter that could reach one ({@code #},
 * {@code layerlift/v1/#}, {@code layerlift/v1/c/+/x}, {@code +/v1/c/<own>/x}), no {@code $SYS}, no shared
 * subscriptions ({@code $share/...}: they would let a client take a share of another's messages). A client id that
 * cannot stand as one topic level (empty, {@code /}, {@code +}, {@code #}, NUL, white space, over 128 characters)
 * has no namespace, so such a client may do nothing at all.
 *
 * <p>The <em>gateway</em> (privileged through its credentials) may do anything inside {@code layerlift/v1/#},
 * wildcards included, and nothing outside: not {@code #}, {@code $SYS} or {@code $share}. It needs nothing else,
 * and a leaked gateway password should not open an external broker's other tenants either.
 */
final class NamespacePolicy {

    enum Action { PUBLISH, SUBSCRIBE }

    /** The outcome, with a reason short enough for a SUBACK/PUBACK reason string (never the client's secrets). */
    record Decision(boolean allowed, String reason) {
        static final Decision ALLOW = new Decision(true, "allowed");

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    private static final String[] ROOT = Topics.ROOT.split("/"); // layerlift, v1

    private NamespacePolicy() {
    }

    static Decision decide(String clientId, boolean privileged, String topicOrFilter, Action action) {
        if (topicOrFilter == null || topicOrFilter.isEmpty()) {
            return Decision.deny("empty topic");
        }
        if (topicOrFilter.indexOf('\0') >= 0) {
            return Decision.deny("topic contains NUL");
        }
        if (topicOrFilter.startsWith("$")) {
            // $SYS and $share/<group>/<filter>: neither is part of the protocol
            return Decision.deny("topics starting with '$' ($SYS, $share) are not available");
        }
        String[] levels = topicOrFilter.split("/", -1);
        String malformed = action == Action.PUBLISH ? checkTopicName(levels) : checkFilter(levels);
        if (malformed != null) {
            return Decision.deny(malformed);
        }
        if (privileged) {
            return startsWithLiterally(levels, ROOT)
                    ? Decision.ALLOW
                    : Decision.deny("the gateway is limited to " + Topics.ROOT + "/#");
        }
        String idProblem = clientIdProblem(clientId);
        if (idProblem != null) {
            return Decision.deny(idProblem);
        }
        if (startsWithLiterally(levels, ownNamespace(clientId))) {
            return Decision.ALLOW;
        }
        if (action == Action.SUBSCRIBE && isGatewayStatusFilter(levels)) {
            return Decision.ALLOW;
        }
        return Decision.deny(action == Action.SUBSCRIBE
                ? "clients may subscribe only below " + Topics.ROOT + "/c/<own client id>/ and to gateway status"
                : "clients may publish only below " + Topics.ROOT + "/c/<own client id>/");
    }

    static boolean allows(String clientId, boolean privileged, String topicOrFilter, Action action) {
        return decide(clientId, privileged, topicOrFilter, action).allowed();
    }

    /** Null when the id can name a namespace, else why not (the same rule {@link Topics} applies to every level). */
    static String clientIdProblem(String clientId) {
        try {
            Topics.requireLevel(clientId, "client id");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String[] ownNamespace(String clientId) {
        String[] root = Arrays.copyOf(ROOT, ROOT.length + 2);
        root[ROOT.length] = "c";
        root[ROOT.length + 1] = clientId;
        return root;
    }

    /**
     * True when the first levels equal the prefix character for character. A wildcard in one of those levels never
     * equals a literal, so {@code +/v1/c/<own>/x} is not "inside" the own namespace even though it matches it.
     */
    private static boolean startsWithLiterally(String[] levels, String[] prefix) {
        if (levels.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!levels[i].equals(prefix[i])) {
                return false;
            }
        }
        return true;
    }

    /** layerlift/v1/gateway/<id or +>/status, exactly: {@code #} there would reach whatever else a gateway publishes. */
    private static boolean isGatewayStatusFilter(String[] levels) {
        return levels.length == ROOT.length + 3
                && startsWithLiterally(levels, ROOT)
                && levels[ROOT.length].equals("gateway")
                && !levels[ROOT.length + 1].isEmpty()
                && !levels[ROOT.length + 1].equals("#")
                && levels[ROOT.length + 2].equals("status");
    }

    private static String checkTopicName(String[] levels) {
        for (String level : levels) {
            if (level.indexOf('+') >= 0 || level.indexOf('#') >= 0) {
                return "a topic name must not contain wildcards";
            }
        }
        return null;
    }

    private static String checkFilter(String[] levels) {
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#") && i != levels.length - 1) {
                return "'#' must be the last level of a filter";
            }
            if (level.length() > 1 && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
                return "a wildcard must fill a whole level";
            }
        }
        return null;
    }
}
