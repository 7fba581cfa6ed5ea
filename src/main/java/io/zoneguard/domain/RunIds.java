package io.zoneguard.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Ids of failover, failback and drill runs: {@code <kind>-<UTC yyyyMMdd-HHmmss>-<4 hex>}. The time
 * is for people reading {@code kubectl get pv}; the random suffix keeps parallel runs of several
 * StatefulSets started in one second apart, because the PVs named after the id are cluster-wide.
 * The prefix is how drill objects are told from failover objects (labels, cleanup guards).
 */
public final class RunIds {
  /** What a run does; its prefix starts the id. */
  public enum Kind {
    FAILOVER("fo"),
    FAILBACK("fb"),
    DRILL("dr");

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("(fo|fb|dr)-\\d{8}-\\d{6}-[0-9a-f]{4}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How an id looks, for error messages. */
  public static final String FORMAT = "<fo|fb|dr>-YYYYMMDD-HHMMSS-xxxx";

  private RunIds() {}

  public static String next(Kind kind, Instant now) {
    return kind.prefix
        + "-"
        + TIME.format(now)
        + "-"
        + String.format("%04x", RANDOM.nextInt(0x10000));
  }

  /** Whether {@code id} is an id {@link #next} could have made for {@code kind}. */
  public static boolean valid(Kind kind, String id) {
    return id != null && SHAPE.matcher(id).matches() && id.startsWith(kind.prefix + "-");
  }

  /** Drill runs label and tag what they create as a drill's (so cleanup may delete it). */
  public static boolean isDrill(String id) {
    return id.startsWith(Kind.DRILL.prefix + "-");
  }
}
