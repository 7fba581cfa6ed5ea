package io.zoneguard.port;

import java.util.Map;

/** Namespaces: whether one exists; drills create and delete their scratch namespaces. */
public interface Namespaces {

  /**
   * True when it exists, or when zoneguard may not read namespaces (the namespaced calls speak).
   */
  boolean exists(String namespace);

  /** Creates a namespace with these labels; an existing one is kept. */
  void create(String name, Map<String, String> labels);

  /**
   * Deletes a drill's scratch namespace. Refused (unsafe) unless its name starts with {@code
   * zoneguard-drill-} and it carries the label {@code zoneguard.io/drill-id}: the port offers no
   * way to delete any other namespace. Gone already: ok.
   */
  void deleteDrillNamespace(String name);
}
