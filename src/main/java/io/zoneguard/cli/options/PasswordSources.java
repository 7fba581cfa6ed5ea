package io.zoneguard.cli.options;

import io.zoneguard.domain.Secret;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a database password may come from, shared by the CLI flags and serve's schedules. */
public final class PasswordSources {
  private PasswordSources() {}

  /** A mounted or local file; its trailing newline is not part of the password. */
  public static Secret file(Path file, String setting) {
    try {
      return Secret.of(Files.readString(file).stripTrailing());
    } catch (IOException e) {
      throw ZoneguardException.usage("cannot read " + setting + " " + file);
    }
  }

  /** One key of a Secret in the namespace, named {@code NAME/KEY}. */
  public static Secret secret(Secrets secrets, String namespace, String ref, String setting) {
    int slash = ref.indexOf('/');
    if (slash <= 0 || slash == ref.length() - 1) {
      throw ZoneguardException.usage(setting + " must be NAME/KEY, e.g. mysql-auth/root-password");
    }
    String name = ref.substring(0, slash);
    String key = ref.substring(slash + 1);
    return secrets
        .value(namespace, name, key)
        .orElseThrow(
            () ->
                ZoneguardException.notFound(
                    "secret " + namespace + "/" + name + " has no key '" + key + "'"));
  }
}
