package io.zoneguard.domain;

import java.util.Arrays;

/** A password or token: never printed, logged or put in an exception message. */
public final class Secret {
  private final char[] value;

  public Secret(char[] value) {
    this.value = value.clone();
  }

  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  public static Secret empty() {
    return new Secret(new char[0]);
  }

  /** The only way to read it; callers pass it straight to a driver or process environment. */
  public String reveal() {
    return new String(value);
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }
}
