package io.zoneguard.domain;

/**
 * An expected failure with a message fit for the user's terminal: one line, no secrets, saying what
 * is wrong and, where possible, what to do.
 */
public class ZoneguardException extends RuntimeException {
  private final ExitCode exitCode;

  public ZoneguardException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ZoneguardException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  public static ZoneguardException notFound(String message) {
    return new ZoneguardException(ExitCode.FAILED, message);
  }

  public static ZoneguardException statefulSetNotFound(String namespace, String name) {
    return notFound("statefulset '" + name + "' not found in namespace '" + namespace + "'");
  }

  /** Failover refuses (exit 3) rather than fails when its StatefulSet does not exist. */
  public static ZoneguardException nothingToFailOver(String namespace, String name) {
    return unsafe(
        "statefulset '"
            + name
            + "' not found in namespace '"
            + namespace
            + "': nothing to fail over, nothing changed");
  }

  public static ZoneguardException usage(String message) {
    return new ZoneguardException(ExitCode.USAGE, message);
  }

  public static ZoneguardException unsafe(String message) {
    return new ZoneguardException(ExitCode.REFUSED_UNSAFE, message);
  }

  public static ZoneguardException failed(String message, Throwable cause) {
    return new ZoneguardException(ExitCode.FAILED, message, cause);
  }
}
