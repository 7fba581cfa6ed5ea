package io.zoneguard.domain;

import java.util.regex.Pattern;

/** An availability zone name such as {@code us-east-1a}; validated for shape, not existence. */
public record Zone(String name) implements Comparable<Zone> {
  private static final Pattern SHAPE = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+");

  public Zone {
    if (name == null || !SHAPE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not an availability zone name: '" + name + "' (expected e.g. us-east-1a)");
    }
  }

  public static Zone of(String name) {
    return new Zone(name);
  }

  @Override
  public int compareTo(Zone o) {
    return name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
