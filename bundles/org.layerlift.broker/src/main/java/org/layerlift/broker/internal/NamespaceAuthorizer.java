package org.layerlift.broker.internal;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import org.layerlift.broker.internal.NamespacePolicy.Action;
import org.layerlift.broker.internal.NamespacePolicy.Decision;

/**
 * Applies {@link NamespacePolicy} to every PUBLISH, every subscription of a SUBSCRIBE, and (HiveMQ runs the publish
 * authorizer on it too) the will message of a CONNECT. Stateless: who is privileged travels with the connection,
 * in an attribute only extensions can write.
 */
final class NamespaceAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    /** Connection attribute the authenticator sets to {@link #GATEWAY} for the privileged login. */
    static final String IDENTITY_ATTRIBUTE = "layerlift.identity";
    static final String GATEWAY = "gateway";

    static boolean isGateway(ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(IDENTITY_ATTRIBUTE)
                .map(GATEWAY::equals).orElse(false);
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        boolean gateway = isGateway(input.getConnectionInformation());
        PublishPacket publish = input.getPublishPacket();
        Decision decision = NamespacePolicy.decide(clientId, gateway, publish.getTopic(), Action.PUBLISH);
        if (decision.allowed() && publish.getResponseTopic().isPresent()) {
            // the gateway publishes replies to the response topic: a client must not aim them at someone else
            Decision reply = NamespacePolicy.decide(clientId, gateway, publish.getResponseTopic().get(),
                    Action.PUBLISH);
            decision = reply.allowed() ? reply : Decision.deny("response topic: " + reply.reason());
        }
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        Decision decision = NamespacePolicy.decide(input.getClientInformation().getClientId(),
                isGateway(input.getConnectionInformation()), input.getSubscription().getTopicFilter(),
                Action.SUBSCRIBE);
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }
}
