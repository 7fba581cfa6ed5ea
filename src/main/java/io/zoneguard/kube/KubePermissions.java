package io.zoneguard.kube;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes permission zoneguard's code uses, with the reason and where it applies: the one
 * list the Helm chart's RBAC is generated from (charts/zoneguard/files/permissions.json, kept equal
 * to this list by ChartPermissionsTest) and that the integration tests check every API request of
 * zoneguard against (the mock API server records them). Adding an API call without adding it here
 * fails the tests; adding a rule is one line here plus regenerating the chart's file (the test's
 * failure message says how).
 */
public final class KubePermissions {
  private KubePermissions() {}

  /** When a permission is needed: always, only with exec dumps, or only for drills. */
  public enum Feature {
    CORE,
    EXEC,
    DRILL
  }

  /**
   * Where a permission applies, which decides the RBAC object that grants it: a ClusterRole for
   * cluster-scoped kinds; a Role in each namespace of the config's schedules; a Role in the
   * release's own namespace; and, for drills' scratch namespaces {@code zoneguard-drill-<id>} whose
   * names are only known at run time, a ClusterRole (the chart's ValidatingAdmissionPolicy keeps
   * zoneguard's namespace and PV writes to drill objects, which RBAC cannot express by name
   * prefix).
   */
  public enum Scope {
    CLUSTER,
    WORKLOAD,
    RELEASE,
    DRILL_NAMESPACES
  }

  /** Verbs on one resource of one API group ("" is the core group). */
  public record Permission(
      Scope scope, Feature feature, String group, String resource, Set<String> verbs, String why) {}

  private static Permission rule(
      Scope scope, Feature feature, String group, String resource, String why, String... verbs) {
    return new Permission(scope, feature, group, resource, Set.of(verbs), why);
  }

  public static final List<Permission> ALL =
      List.of(
          rule(
              Scope.WORKLOAD,
              Feature.CORE,
              "apps",
              "statefulsets",
              "read StatefulSets; failover pins the zone (patch); the failover record and sets-in-use annotations are written with compare-and-set (update)",
              "get",
              "list",
              "patch",
              "update"),
          rule(
              Scope.WORKLOAD,
              Feature.CORE,
              "",
              "persistentvolumeclaims",
              "status and backups read claims; failover deletes the old claim (UID precondition) and recreates it pre-bound; failback puts zoneguard's hold finalizer on and off (update, with the resourceVersion)",
              "get",
              "list",
              "create",
              "delete",
              "update"),
          rule(
              Scope.WORKLOAD,
              Feature.CORE,
              "",
              "pods",
              "which pod and node use a claim; failover deletes stuck pods (never forced)",
              "get",
              "list",
              "delete"),
          rule(
              Scope.WORKLOAD,
              Feature.CORE,
              "",
              "events",
              "Events on the StatefulSet for backups, failovers and drills",
              "create"),
          rule(
              Scope.WORKLOAD,
              Feature.CORE,
              "",
              "secrets",
              "database passwords named by passwordSecret (the chart restricts this to those names)",
              "get"),
          rule(
              Scope.WORKLOAD,
              Feature.EXEC,
              "",
              "pods/exec",
              "database via exec: mysqldump inside the replica's pod",
              "create"),
          rule(
              Scope.CLUSTER,
              Feature.CORE,
              "",
              "persistentvolumes",
              "read PVs; failover sets Retain (patch) and creates pre-bound PVs",
              "get",
              "list",
              "create",
              "patch"),
          rule(
              Scope.CLUSTER,
              Feature.CORE,
              "",
              "nodes",
              "zone health; failover cordons and taints NotReady nodes, failback lifts it",
              "get",
              "list",
              "patch"),
          rule(
              Scope.CLUSTER,
              Feature.CORE,
              "",
              "namespaces",
              "tell a missing namespace from an empty one",
              "get"),
          rule(
              Scope.CLUSTER,
              Feature.DRILL,
              "",
              "namespaces",
              "drills create and remove their zoneguard-drill-<id> namespace",
              "create",
              "delete"),
          rule(
              Scope.CLUSTER,
              Feature.DRILL,
              "",
              "persistentvolumes",
              "drills remove the PVs they created (only drill-labelled ones)",
              "delete"),
          rule(
              Scope.DRILL_NAMESPACES,
              Feature.DRILL,
              "",
              "persistentvolumeclaims",
              "drills create the pre-bound claim in their scratch namespace and remove it (UID precondition)",
              "get",
              "list",
              "create",
              "delete"),
          rule(
              Scope.DRILL_NAMESPACES,
              Feature.DRILL,
              "",
              "pods",
              "removing a drill's claim checks no pod still uses it; drills mount each restored"
                  + " claim in a short-lived pod zg-mount-<pvc> (create, get) and remove it (delete)",
              "list",
              "get",
              "create",
              "delete"),
          rule(
              Scope.RELEASE,
              Feature.CORE,
              "coordination.k8s.io",
              "leases",
              "leader election among serve replicas (only in the release namespace)",
              "get",
              "create",
              "update",
              "patch"));
}
