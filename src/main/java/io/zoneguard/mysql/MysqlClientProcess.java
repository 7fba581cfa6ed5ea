package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code mysql} client as a local process over TCP; password via {@code MYSQL_PWD} only. */
public final class MysqlClientProcess implements DatabaseLoader {
  private final String binary;
  private final DatabaseEndpoint endpoint;

  public MysqlClientProcess(String binary, DatabaseEndpoint endpoint) {
    this.binary = binary;
    this.endpoint = endpoint;
  }

  @Override
  public RunningLoad start() {
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                binary,
                "--protocol=TCP",
                "--host=" + endpoint.host(),
                "--port=" + endpoint.port(),
                "--user=" + endpoint.user(),
                "--default-character-set=utf8mb4",
                "--batch"));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("MYSQL_PWD");
    String pw = endpoint.password().reveal();
    if (!pw.isEmpty()) {
      pb.environment().put("MYSQL_PWD", pw);
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw ZoneguardException.failed(
          "cannot run " + binary + " (" + Text.firstLine(e.getMessage()) + ")", e);
    }
    MysqldumpProcess.StderrTail err = new MysqldumpProcess.StderrTail(p.getErrorStream());
    err.start();
    String target = "mysql " + endpoint;
    return new RunningLoad() {
      @Override
      public OutputStream stdin() {
        return p.getOutputStream();
      }

      @Override
      public void finish(Duration timeout) {
        try {
          if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw ZoneguardException.failed("mysql did not finish within " + timeout, null);
          }
          err.join(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          throw ZoneguardException.failed("interrupted while loading", e);
        }
        if (p.exitValue() != 0) {
          throw ZoneguardException.failed(
              "loading into " + target + " failed (exit " + p.exitValue() + "): " + err.reason(),
              null);
        }
      }

      @Override
      public String target() {
        return target;
      }

      @Override
      public void close() {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      }
    };
  }
}
