package org.layerlift.api.gateway;

/**
 * One installed bundle as the status reports it.
 *
 * @param id           framework bundle id
 * @param symbolicName Bundle-SymbolicName
 * @param version      Bundle-Version
 * @param state        INSTALLED, RESOLVED, STARTING, STOPPING, ACTIVE or UNINSTALLED
 * @param location     where it was installed from
 */
public record BundleStatus(long id, String symbolicName, String version, String state, String location) {
}
