package io.zoneguard.domain;

import java.util.Objects;

/** Namespace and name of a PersistentVolumeClaim. */
public record PvcRef(String namespace, String name) {
  public PvcRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
