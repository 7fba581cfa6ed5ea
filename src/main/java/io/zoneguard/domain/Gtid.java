package io.zoneguard.domain;

/**
 * A MariaDB GTID {@code domain-server-seq}: the sequence number orders transactions within a
 * domain. Backup sets record one (the dump's consistent point); binlog segments their first and
 * last.
 */
public record Gtid(long domain, long server, long seq) {
  /** Parses {@code d-s-n}; blank is the state of a server that wrote no transaction yet. */
  public static Gtid parse(String s) {
    if (s == null || s.isBlank()) {
      return new Gtid(0, 0, 0);
    }
    String[] p = s.strip().split("-");
    if (p.length != 3) {
      throw ZoneguardException.usage("not a GTID (domain-server-sequence): '" + s + "'");
    }
    try {
      return new Gtid(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseUnsignedLong(p[2]));
    } catch (NumberFormatException e) {
      throw ZoneguardException.usage("not a GTID (domain-server-sequence): '" + s + "'");
    }
  }

  /** As MariaDB writes it: {@code domain-server-seq}. */
  public String text() {
    return domain + "-" + server + "-" + Long.toUnsignedString(seq);
  }

  /** Whether this transaction comes after {@code other} in the same domain. */
  public boolean after(Gtid other) {
    return domain == other.domain && Long.compareUnsigned(seq, other.seq) > 0;
  }
}
