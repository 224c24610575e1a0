package org.layerlift.api.gateway;

/**
 * The result of one health check.
 *
 * @param name    the check's name
 * @param status  OK, WARN, CRITICAL, HEALTH_CHECK_ERROR or TEMPORARILY_UNAVAILABLE
 * @param message the check's log, one line per entry
 */
public record HealthStatus(String name, String status, String message) {
}
