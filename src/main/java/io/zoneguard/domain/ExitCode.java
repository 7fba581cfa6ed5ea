package io.zoneguard.domain;

/** Process exit codes; the CLI maps every outcome to one of these in one place. */
public enum ExitCode {
  OK(0),
  FAILED(1),
  USAGE(2),
  REFUSED_UNSAFE(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
