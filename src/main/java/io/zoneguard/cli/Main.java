package io.zoneguard.cli;

import java.io.PrintWriter;
import java.util.Map;

/** Process entry point: runs one command and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = ZoneguardCommand.execute(args, System.getenv(), out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** For tests and the demo: run in-process against the given environment and streams. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    return ZoneguardCommand.execute(args, env, out, err);
  }
}
