package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseDumper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * mysqldump as a local process talking TCP to the server. The password reaches it only through the
 * {@code MYSQL_PWD} environment variable of the child: never argv, logs or messages.
 */
public final class MysqldumpProcess implements DatabaseDumper {
  private final String binary;
  private final DatabaseEndpoint endpoint;

  public MysqldumpProcess(String binary, DatabaseEndpoint endpoint) {
    this.binary = binary;
    this.endpoint = endpoint;
  }

  @Override
  public RunningDump start(DumpOptions options) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.addAll(
        List.of(
            "--protocol=TCP",
            "--host=" + endpoint.host(),
            "--port=" + endpoint.port(),
            "--user=" + endpoint.user()));
    cmd.addAll(MysqldumpArgs.dumpOptions(options));
    ProcessBuilder pb = new ProcessBuilder(cmd);
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
          "cannot run "
              + binary
              + " ("
              + Text.firstLine(e.getMessage())
              + "): install the MySQL/MariaDB client or set --mysqldump",
          e);
    }
    return new Running(p, "mysqldump " + endpoint);
  }

  /** Keeps the tail of stderr for the error message while the dump runs. */
  static final class StderrTail extends Thread {
    private static final int MAX = 16 * 1024;
    private final InputStream in;
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();

    StderrTail(InputStream in) {
      super("mysqldump-stderr");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (tail) {
            if (tail.size() < MAX) {
              tail.write(buf, 0, Math.min(n, MAX - tail.size()));
            }
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
    }

    /** The first error line (mysqldump prints its reason first), not warnings. */
    String reason() {
      String all;
      synchronized (tail) {
        all = tail.toString(StandardCharsets.UTF_8);
      }
      return all.lines()
          .filter(l -> !l.isBlank() && !l.contains("Warning"))
          .findFirst()
          .orElse(Text.firstLine(all));
    }
  }

  static final class Running implements RunningDump {
    private final Process process;
    private final String source;
    private final StderrTail stderr;

    Running(Process process, String source) {
      this.process = process;
      this.source = source;
      this.stderr = new StderrTail(process.getErrorStream());
      stderr.start();
      try {
        process.getOutputStream().close();
      } catch (IOException ignored) {
        // no stdin needed
      }
    }

    @Override
    public InputStream stdout() {
      return process.getInputStream();
    }

    @Override
    public void finish(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw ZoneguardException.failed(
              "mysqldump did not exit within " + timeout + " after its output ended", null);
        }
        stderr.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw ZoneguardException.failed("interrupted while waiting for mysqldump", e);
      }
      if (process.exitValue() != 0) {
        throw ZoneguardException.failed(
            "mysqldump failed (exit " + process.exitValue() + "): " + stderr.reason(), null);
      }
    }

    @Override
    public String source() {
      return source;
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
