package io.zoneguard.port;

import io.zoneguard.domain.Secret;
import java.util.Optional;

/** Secrets: one key, for database passwords kept in the cluster. */
@FunctionalInterface
public interface Secrets {

  /** One key of a Secret in the namespace, or empty if the Secret or key does not exist. */
  Optional<Secret> value(String namespace, String secret, String key);
}
