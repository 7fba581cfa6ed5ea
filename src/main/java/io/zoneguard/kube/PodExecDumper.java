package io.zoneguard.kube;

import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseDumper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * mysqldump run inside the database pod through the exec API (the way {@code kubectl exec ...
 * mysqldump} setups work), its stdout streamed back over the API server.
 */
public final class PodExecDumper implements DatabaseDumper {
  private final PodShell shell;

  public PodExecDumper(PodShell shell) {
    this.shell = shell;
  }

  @Override
  public RunningDump start(DumpOptions options) {
    List<String> args = new ArrayList<>(io.zoneguard.mysql.MysqldumpArgs.dumpOptions(options));
    ExecWatch w =
        shell.start(shell.clientScript(List.of("mariadb-dump", "mysqldump"), args), false);
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return PodShell.readAll(w.getError());
              } catch (IOException e) {
                return e.toString();
              }
            });
    return new RunningDump() {
      @Override
      public InputStream stdout() {
        return w.getOutput();
      }

      @Override
      public void finish(Duration timeout) {
        int code = PodShell.exitCode(w, timeout);
        if (code != 0) {
          String reason = stderr.getNow("");
          throw ZoneguardException.failed(
              "mysqldump in "
                  + shell.where()
                  + " failed (exit "
                  + code
                  + "): "
                  + Text.firstLine(reason),
              null);
        }
      }

      @Override
      public String source() {
        return "mysqldump in " + shell.where();
      }

      @Override
      public void close() {
        w.close();
      }
    };
  }
}
