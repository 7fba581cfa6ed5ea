package io.zoneguard.backup;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Backup set ids: {@code <utc yyyyMMdd'T'HHmmss'Z'>-<6 hex>}; they sort by time as strings. */
public final class SetIds {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SetIds() {}

  public static String next(Instant now) {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return FORMAT.format(now) + "-" + HexFormat.of().formatHex(b);
  }

  public static boolean valid(String id) {
    return id != null && SHAPE.matcher(id).matches();
  }

  /** When the set was started, from its id. */
  public static Instant startedAt(String id) {
    return FORMAT.parse(id.substring(0, 16), Instant::from);
  }
}
