package io.zoneguard.kube;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes permission zoneguard's code uses, with the reason: the one list the Helm chart's
 * RBAC is checked against (chart tests) and that the integration tests check every API request of
 * zoneguard against (the mock API server records them). Adding an API call without adding it here
 * fails the tests; adding it here without the chart fails them too.
 */
public final class KubePermissions {
  private KubePermissions() {}

  /** When a permission is needed: always, only with exec dumps, or only for drills. */
  public enum Feature {
    CORE,
    EXEC,
    DRILL
  }

  /** Verbs on one resource of one API group ("" is the core group). */
  public record Permission(
      String group, String resource, Set<String> verbs, Feature feature, String why) {}

  public static final List<Permission> ALL =
      List.of(
          new Permission(
              "apps",
              "statefulsets",
              Set.of("get", "list", "patch", "update"),
              Feature.CORE,
              "read StatefulSets; failover pins the zone (patch); the failover record and"
                  + " sets-in-use annotations are written with compare-and-set (update)"),
          new Permission(
              "",
              "persistentvolumeclaims",
              Set.of("get", "list", "create", "delete", "update"),
              Feature.CORE,
              "status and backups read claims; failover deletes the old claim (UID"
                  + " precondition) and recreates it pre-bound; failback puts zoneguard's hold"
                  + " finalizer on and off (update, with the resourceVersion)"),
          new Permission(
              "",
              "persistentvolumes",
              Set.of("get", "list", "create", "patch"),
              Feature.CORE,
              "read PVs; failover sets Retain (patch) and creates pre-bound PVs"),
          new Permission(
              "",
              "nodes",
              Set.of("get", "list", "patch"),
              Feature.CORE,
              "zone health; failover cordons and taints NotReady nodes, failback lifts it"),
          new Permission(
              "",
              "pods",
              Set.of("get", "list", "delete"),
              Feature.CORE,
              "which pod and node use a claim; failover deletes stuck pods (never forced)"),
          new Permission(
              "",
              "events",
              Set.of("create"),
              Feature.CORE,
              "Events on the StatefulSet for backups, failovers and drills"),
          new Permission(
              "",
              "namespaces",
              Set.of("get"),
              Feature.CORE,
              "tell a missing namespace from an empty one"),
          new Permission(
              "",
              "secrets",
              Set.of("get"),
              Feature.CORE,
              "database passwords named by passwordSecret (restricted to those names in the"
                  + " chart)"),
          new Permission(
              "coordination.k8s.io",
              "leases",
              Set.of("get", "create", "update", "patch"),
              Feature.CORE,
              "leader election among serve replicas (only in the release namespace)"),
          new Permission(
              "",
              "pods/exec",
              Set.of("create"),
              Feature.EXEC,
              "--via exec: mysqldump inside the replica's pod"),
          new Permission(
              "",
              "namespaces",
              Set.of("create", "delete"),
              Feature.DRILL,
              "drills create and remove their zoneguard-drill-<id> namespace"),
          new Permission(
              "",
              "persistentvolumes",
              Set.of("delete"),
              Feature.DRILL,
              "drills remove the PVs they created (only drill-labelled ones)"));
}
