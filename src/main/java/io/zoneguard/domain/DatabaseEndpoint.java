package io.zoneguard.domain;

import java.util.Objects;

/** Where a MySQL/MariaDB server listens and who to log in as; the password travels apart. */
public record DatabaseEndpoint(String host, int port, String user, Secret password) {
  public DatabaseEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    password = password == null ? Secret.empty() : password;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("database port out of range: " + port);
    }
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
