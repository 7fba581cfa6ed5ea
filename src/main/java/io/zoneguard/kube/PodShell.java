package io.zoneguard.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs {@code sh -c SCRIPT} in a container of a pod, as {@code kubectl exec} does. The database
 * password is read inside the container from one of its environment variables, so it never crosses
 * the API server, zoneguard's memory or its logs.
 */
public final class PodShell {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final String container;
  private final String user;
  private final String passwordEnv;

  public PodShell(
      KubernetesClient client,
      String namespace,
      String pod,
      String container,
      String user,
      String passwordEnv) {
    if (!ENV_NAME.matcher(passwordEnv).matches()) {
      throw ZoneguardException.usage("not an environment variable name: '" + passwordEnv + "'");
    }
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.container = container;
    this.user = user;
    this.passwordEnv = passwordEnv;
  }

  public String where() {
    return "pod " + namespace + "/" + pod + (container == null ? "" : " container " + container);
  }

  /**
   * A MySQL client program ({@code mariadb-dump}/{@code mysqldump} or {@code mariadb}/{@code
   * mysql}, whichever the image has) with these arguments, the user, and the password from the
   * container's environment.
   */
  String clientScript(List<String> programs, List<String> args) {
    StringBuilder find = new StringBuilder("P=$(");
    for (int i = 0; i < programs.size(); i++) {
      find.append(i == 0 ? "" : " || ").append("command -v ").append(programs.get(i));
    }
    find.append(") || { echo '")
        .append(String.join("/", programs))
        .append(" not found in the container' >&2; exit 127; }; ");
    StringBuilder sb = new StringBuilder();
    sb.append("export MYSQL_PWD=\"${").append(passwordEnv).append(":-}\"; ");
    sb.append(find);
    sb.append("exec \"$P\" ").append(quote("--user=" + user));
    for (String a : args) {
      sb.append(' ').append(quote(a));
    }
    return sb.toString();
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Starts the script with stdout, stderr (and stdin when asked) redirected. */
  ExecWatch start(String script, boolean stdin) {
    try {
      var op = client.pods().inNamespace(namespace).withName(pod);
      var c = container == null ? op : op.inContainer(container);
      var redirected =
          stdin
              ? c.redirectingInput().redirectingOutput().redirectingError()
              : c.redirectingOutput().redirectingError();
      return redirected.exec("sh", "-c", script);
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate("exec in " + where(), e);
    }
  }

  /** Runs the script to the end and returns its stdout; fails with its stderr's first line. */
  String run(String script, Duration timeout) {
    try (ExecWatch w = start(script, false)) {
      var out = new java.util.concurrent.CompletableFuture<String>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  out.complete(new String(w.getOutput().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  out.completeExceptionally(e);
                }
              },
              "exec-stdout");
      reader.setDaemon(true);
      reader.start();
      String err = readAll(w.getError());
      int code = exitCode(w, timeout);
      if (code != 0) {
        throw ZoneguardException.failed(
            "command in " + where() + " failed (exit " + code + "): " + Text.firstLine(err), null);
      }
      return out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ZoneguardException e) {
      throw e;
    } catch (Exception e) {
      throw ZoneguardException.failed("exec in " + where() + " failed: " + e.getMessage(), e);
    }
  }

  static int exitCode(ExecWatch w, Duration timeout) {
    try {
      Integer code = w.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return code == null ? -1 : code;
    } catch (Exception e) {
      throw ZoneguardException.failed("no exit status from the exec: " + e.getMessage(), e);
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      if (b.size() < 64 * 1024) {
        b.write(buf, 0, n);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
