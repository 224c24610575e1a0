package org.layerlift.api.gateway;

/**
 * One Declarative Services component configuration of a LayerLift bundle.
 *
 * @param name    component name
 * @param bundle  symbolic name of the declaring bundle
 * @param state   ACTIVE, SATISFIED, UNSATISFIED_REFERENCE, UNSATISFIED_CONFIGURATION, FAILED_ACTIVATION or DISABLED
 * @param reason  why it is not active (the activation error's message, the missing reference), or null
 */
public record ComponentStatus(String name, String bundle, String state, String reason) {
}
