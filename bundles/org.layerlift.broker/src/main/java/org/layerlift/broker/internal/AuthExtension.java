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
 * HiveMQ CE refuses every client unless a security extension registers an authenticator. Ours decides who a CONNECT
 * is ({@link Credentials}), marks the gateway's own connection as privileged, refuses clients whose id cannot name a
 * namespace, and registers the {@link NamespaceAuthorizer} that keeps every client inside its own namespace.
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
            switch (credentials.authenticate(connect.getUserName(), connect.getPassword())) {
                case GATEWAY -> {
                    auth.getConnectionInformation().getConnectionAttributeStore()
                            .putAsString(NamespaceAuthorizer.IDENTITY_ATTRIBUTE, NamespaceAuthorizer.GATEWAY);
                    result.authenticateSuccessfully();
                }
                case CLIENT -> {
                    // a client without a usable namespace could do nothing: say so now rather than on every packet
                    String problem = NamespacePolicy.clientIdProblem(auth.getClientInformation().getClientId());
                    if (problem == null) {
                        result.authenticateSuccessfully();
                    } else {
                        result.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, problem);
                    }
                }
                default -> result.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "bad user name or password");
            }
        };
        NamespaceAuthorizer authorizer = new NamespaceAuthorizer();
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // HiveMQ drops the registrations itself
    }
}
