package io.zoneguard.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes resource quantity of storage ("10Gi", "500M", "1.5Ti", "10737418240") in bytes, so
 * capacity can be compared the way the PV binder does without pulling fabric8 into the core.
 */
public final class StorageQuantity {
  private static final Map<String, BigDecimal> SUFFIX =
      Map.ofEntries(
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
          Map.entry("k", BigDecimal.TEN.pow(3)),
          Map.entry("M", BigDecimal.TEN.pow(6)),
          Map.entry("G", BigDecimal.TEN.pow(9)),
          Map.entry("T", BigDecimal.TEN.pow(12)),
          Map.entry("P", BigDecimal.TEN.pow(15)),
          Map.entry("E", BigDecimal.TEN.pow(18)),
          Map.entry("", BigDecimal.ONE));

  private StorageQuantity() {}

  /** Bytes, or empty when {@code q} is absent or not a quantity zoneguard understands. */
  public static Optional<BigDecimal> bytes(String q) {
    if (q == null || q.isBlank()) {
      return Optional.empty();
    }
    String s = q.strip();
    int i = s.length();
    while (i > 0 && Character.isLetter(s.charAt(i - 1))) {
      i--;
    }
    BigDecimal unit = SUFFIX.get(s.substring(i));
    if (unit == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(s.substring(0, i)).multiply(unit));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True when both parse and {@code have} ≥ {@code want}. */
  public static boolean atLeast(String have, String want) {
    Optional<BigDecimal> h = bytes(have);
    Optional<BigDecimal> w = bytes(want);
    return h.isPresent() && w.isPresent() && h.get().compareTo(w.get()) >= 0;
  }
}
