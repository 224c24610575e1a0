package org.layerlift.broker.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Decides who a CONNECT is: the gateway (its own user name and password, the only privileged login), a client (the
 * configured client login, or anyone when none is configured), or nobody. The gateway's user name is reserved: a
 * CONNECT that names it with any other password, or while no gateway password is configured, is refused rather
 * than let in as an ordinary client, so a mistyped gateway password shows at once instead of as missing permissions.
 */
final class Credentials {

    enum Identity { REFUSED, CLIENT, GATEWAY }

    private final String clientUser;
    private final byte[] clientPasswordHash;
    private final String gatewayUser;
    private final byte[] gatewayPasswordHash; // null: no privileged login possible

    Credentials(String clientUser, String clientPassword, String gatewayUser, String gatewayPassword) {
        this.clientUser = clientUser;
        this.clientPasswordHash = sha256(clientPassword.getBytes(StandardCharsets.UTF_8));
        this.gatewayUser = gatewayUser;
        this.gatewayPasswordHash = gatewayPassword.isEmpty() ? null
                : sha256(gatewayPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** True when clients (not only the gateway) must log in. */
    boolean clientLoginRequired() {
        return !clientUser.isEmpty();
    }

    Identity authenticate(Optional<String> user, Optional<ByteBuffer> pass) {
        byte[] given = sha256(pass.map(Credentials::bytes).orElse(new byte[0]));
        if (user.isPresent() && !gatewayUser.isEmpty() && user.get().equals(gatewayUser)) {
            // user names are not secret; passwords are compared as hashes so neither content nor length leaks
            boolean ok = gatewayPasswordHash != null && pass.isPresent()
                    && MessageDigest.isEqual(gatewayPasswordHash, given);
            return ok ? Identity.GATEWAY : Identity.REFUSED;
        }
        if (!clientLoginRequired()) {
            return Identity.CLIENT; // anonymous broker: anyone in, never privileged
        }
        boolean userOk = user.isPresent() && user.get().equals(clientUser);
        boolean passOk = pass.isPresent() && MessageDigest.isEqual(clientPasswordHash, given);
        return userOk & passOk ? Identity.CLIENT : Identity.REFUSED;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.asReadOnlyBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
