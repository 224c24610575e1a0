package org.layerlift.broker.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Decides whether a CONNECT may pass: anonymous when no user is configured, else user name and password must match. */
final class Credentials {

    private final String username;
    private final byte[] password;

    Credentials(String username, String password) {
        this.username = username;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return !username.isEmpty();
    }

    boolean accept(Optional<String> user, Optional<ByteBuffer> pass) {
        if (!required()) {
            return true;
        }
        if (user.isEmpty() || pass.isEmpty()) {
            return false;
        }
        ByteBuffer buffer = pass.get().asReadOnlyBuffer();
        byte[] given = new byte[buffer.remaining()];
        buffer.get(given);
        // compare both in constant time so a wrong guess says nothing about how close it was
        boolean userOk = MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8),
                user.get().getBytes(StandardCharsets.UTF_8));
        boolean passOk = MessageDigest.isEqual(password, given);
        return userOk & passOk;
    }
}
