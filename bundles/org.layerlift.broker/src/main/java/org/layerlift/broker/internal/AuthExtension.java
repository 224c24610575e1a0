package org.layerlift.broker.internal;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * HiveMQ CE refuses every client unless a security extension registers an authenticator. Ours lets anyone in when
 * no user is configured, and otherwise checks the configured user name and password.
 */
final class AuthExtension implements ExtensionMain {

    private final Credentials credentials;

    AuthExtension(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        SimpleAuthenticator authenticator = (auth, result) -> {
            var connect = auth.getConnectPacket();
            if (credentials.accept(connect.getUserName(), connect.getPassword())) {
                result.authenticateSuccessfully();
            } else {
                result.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
        };
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // HiveMQ drops the registration itself
    }
}
