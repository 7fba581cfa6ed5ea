package io.zoneguard.domain;

/**
 * What EC2 says about one instance: its state ({@code pending, running, stopping, stopped,
 * shutting-down, terminated}) and whether its status checks found it unreachable (a failed {@code
 * reachability} check of the instance or of the system it runs on).
 */
public record InstanceFacts(String instanceId, String state, boolean unreachable, String checks) {}
