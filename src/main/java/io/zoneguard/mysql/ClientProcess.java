package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A MySQL client program (mysqldump, mysql) run as a local process over TCP. The password reaches
 * it only through the child's {@code MYSQL_PWD}: never argv, logs or messages. Its stderr is kept
 * (the tail) so a failure can say why in one line.
 */
final class ClientProcess {
  private final Process process;
  private final StderrTail stderr;

  private ClientProcess(Process process) {
    this.process = process;
    this.stderr = new StderrTail(process.getErrorStream());
    stderr.start();
  }

  static ClientProcess start(
      String binary, DatabaseEndpoint endpoint, List<String> args, boolean discardStdout) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.addAll(
        List.of(
            "--protocol=TCP",
            "--host=" + endpoint.host(),
            "--port=" + endpoint.port(),
            "--user=" + endpoint.user()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (discardStdout) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    pb.environment().remove("MYSQL_PWD");
    String pw = endpoint.password().reveal();
    if (!pw.isEmpty()) {
      pb.environment().put("MYSQL_PWD", pw);
    }
    try {
      return new ClientProcess(pb.start());
    } catch (IOException e) {
      throw ZoneguardException.failed(
          "cannot run "
              + binary
              + " ("
              + Text.firstLine(e.getMessage())
              + "): install the MySQL/MariaDB client or point zoneguard at it",
          e);
    }
  }

  Process process() {
    return process;
  }

  /** Waits for exit; fails with the first error line of stderr unless the exit code is 0. */
  void finish(Duration timeout, String what) {
    await(process, stderr, timeout, what, stderr::reason);
  }

  /**
   * Waits for {@code p} to exit, then for its stderr reader; fails with {@code reason} unless it
   * exited 0 in time. Shared by every child process zoneguard runs.
   */
  static void await(
      Process p, Thread stderrReader, Duration timeout, String what, Supplier<String> reason) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw ZoneguardException.failed(what + " did not finish within " + timeout, null);
      }
      stderrReader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw ZoneguardException.failed("interrupted while waiting for " + what, e);
    }
    if (p.exitValue() != 0) {
      throw ZoneguardException.failed(
          what + " failed (exit " + p.exitValue() + "): " + reason.get(), null);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Why the program stopped, from its stderr (for a process that should not have). */
  String reason() {
    return stderr.reason();
  }

  void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Keeps the head of stderr for the error message while the program runs. */
  private static final class StderrTail extends Thread {
    private static final int MAX = 16 * 1024;
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    StderrTail(InputStream in) {
      super("client-stderr");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (kept) {
            if (kept.size() < MAX) {
              kept.write(buf, 0, Math.min(n, MAX - kept.size()));
            }
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
    }

    /** The first error line (the clients print their reason first), skipping warnings. */
    String reason() {
      String all;
      synchronized (kept) {
        all = kept.toString(StandardCharsets.UTF_8);
      }
      return all.lines()
          // mysql reading a pipe prints the failing statement (it may hold row data) between
          // lines of dashes before its "ERROR 1290 (HY000) at line 24: ..." line: that one first
          .sorted(java.util.Comparator.comparing(l -> !l.startsWith("ERROR ")))
          .filter(l -> !l.isBlank() && !l.contains("Warning"))
          .filter(l -> !l.chars().allMatch(c -> c == '-'))
          .findFirst()
          .orElse(Text.firstLine(all));
    }
  }
}
