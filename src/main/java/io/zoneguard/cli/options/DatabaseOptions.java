package io.zoneguard.cli.options;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Secret;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Secrets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * How to reach the database. The password never travels in argv: it comes from a file, a Kubernetes
 * Secret, or the MYSQL_PWD environment variable.
 */
public final class DatabaseOptions {
  @Option(
      names = "--db-host",
      paramLabel = "HOST",
      description =
          "database host (default: <sts>-<replica>.<serviceName>.<ns>.svc, the replica's DNS name).")
  public String host;

  @Option(
      names = "--db-port",
      paramLabel = "PORT",
      defaultValue = "3306",
      description = "default: ${DEFAULT-VALUE}.")
  public int port;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      defaultValue = "root",
      description = "default: ${DEFAULT-VALUE}.")
  public String user;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description = "file holding the password (trailing newline ignored).")
  public Path passwordFile;

  @Option(
      names = "--db-password-secret",
      paramLabel = "NAME/KEY",
      description =
          "Kubernetes Secret in the namespace and its key, e.g. mysql-auth/root-password.")
  public String passwordSecret;

  /**
   * The server to write into, required: restore and drills never guess it. Then the endpoint with
   * the password from the file, the Secret (the cluster is only contacted then) or MYSQL_PWD.
   */
  public DatabaseEndpoint target(
      String why, Map<String, String> env, Supplier<Secrets> secrets, String namespace) {
    if (host == null) {
      throw ZoneguardException.usage("--db-host is required: " + why);
    }
    return endpoint(host, password(env, passwordSecret == null ? null : secrets.get(), namespace));
  }

  public Secret password(Map<String, String> env, Secrets secrets, String namespace) {
    if (passwordFile != null && passwordSecret != null) {
      throw ZoneguardException.usage("give --db-password-file or --db-password-secret, not both");
    }
    if (passwordFile != null) {
      return PasswordSources.file(passwordFile, "--db-password-file");
    }
    if (passwordSecret != null) {
      return PasswordSources.secret(secrets, namespace, passwordSecret, "--db-password-secret");
    }
    String pw = env.get("MYSQL_PWD");
    return pw == null ? Secret.empty() : Secret.of(pw);
  }

  public DatabaseEndpoint endpoint(String defaultHost, Secret password) {
    if (port < 1 || port > 65535) {
      throw ZoneguardException.usage("--db-port must be 1-65535, got " + port);
    }
    return new DatabaseEndpoint(host != null ? host : defaultHost, port, user, password);
  }
}
