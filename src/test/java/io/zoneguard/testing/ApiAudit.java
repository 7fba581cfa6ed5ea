package io.zoneguard.testing;

import io.zoneguard.kube.KubePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the API requests zoneguard's own client makes (its User-Agent) to the mock API server,
 * maps each to an RBAC verb and resource, and lists those {@link KubePermissions} does not grant:
 * the chart's RBAC is checked against that list, so this keeps the list honest.
 */
public final class ApiAudit {
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private final List<String> deletes = new CopyOnWriteArrayList<>();

  void record(String method, String path) {
    requests.add(method + " " + path);
  }

  void recordDelete(String path, String body) {
    deletes.add(path + " " + body);
  }

  /** Each DELETE zoneguard sent, as {@code path body} (the body holds any DeleteOptions). */
  public List<String> deletes() {
    return List.copyOf(deletes);
  }

  /** Each request as {@code verb group/resource}, e.g. {@code patch apps/statefulsets}. */
  public Set<String> used() {
    Set<String> out = new LinkedHashSet<>();
    for (String r : requests) {
      String[] mp = r.split(" ", 2);
      out.add(permission(mp[0], mp[1]));
    }
    return out;
  }

  /** Used permissions that no entry of {@link KubePermissions#ALL} grants. */
  public List<String> ungranted() {
    List<String> out = new ArrayList<>();
    for (String u : used()) {
      String[] vr = u.split(" ", 2);
      String group = vr[1].contains("/") && !vr[1].startsWith("pods/") ? vr[1].split("/")[0] : "";
      String resource = group.isEmpty() ? vr[1] : vr[1].substring(group.length() + 1);
      boolean granted =
          KubePermissions.ALL.stream()
              .anyMatch(
                  p ->
                      p.group().equals(group)
                          && p.resource().equals(resource)
                          && p.verbs().contains(vr[0]));
      if (!granted) {
        out.add(u);
      }
    }
    return out;
  }

  /**
   * {@code GET /apis/apps/v1/namespaces/ns/statefulsets/mysql} -> {@code get apps/statefulsets}.
   */
  static String permission(String method, String pathAndQuery) {
    String path = pathAndQuery.split("\\?", 2)[0];
    String query = pathAndQuery.contains("?") ? pathAndQuery.split("\\?", 2)[1] : "";
    String[] s = path.replaceFirst("^/", "").split("/");
    String group;
    int i;
    if (s[0].equals("api")) {
      group = "";
      i = 2; // api/v1/...
    } else {
      group = s[1];
      i = 3; // apis/group/version/...
    }
    if (i < s.length && s[i].equals("namespaces") && i + 2 < s.length) {
      i += 2; // namespaced: skip namespaces/NAME
    }
    String resource = s[i];
    boolean named = i + 1 < s.length;
    if (i + 2 < s.length) {
      resource = resource + "/" + s[i + 2]; // subresource: pods/exec, statefulsets/status
    }
    String verb =
        switch (method) {
          case "GET" ->
              resource.endsWith("/exec")
                  ? "create"
                  : query.contains("watch=true") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
  }
}
