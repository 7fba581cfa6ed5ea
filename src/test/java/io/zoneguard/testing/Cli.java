package io.zoneguard.testing;

import io.zoneguard.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs the real CLI in-process and captures what it prints, as picocli's own tests do. */
public final class Cli {
  private Cli() {}

  public record Result(int exit, String out, String err) {}

  public static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(args, new HashMap<>(env), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
