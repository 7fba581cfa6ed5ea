package io.zoneguard.port;

/**
 * The Kubernetes role ports, one per resource kind, built together by the wiring. Only the wiring
 * and the failover engine (which hands each step the ports it uses through its context) hold this
 * aggregate; services and steps depend on the individual ports.
 */
public record Cluster(
    Namespaces namespaces,
    StatefulSets statefulSets,
    Claims claims,
    PersistentVolumes persistentVolumes,
    Nodes nodes,
    Pods pods,
    Events events,
    Secrets secrets) {}
