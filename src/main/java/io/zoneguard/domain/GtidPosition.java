package io.zoneguard.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position as the server variables gtid_binlog_pos, gtid_slave_pos and
 * gtid_current_pos hold it: at most one GTID per replication domain, comma-separated; empty for a
 * server that has applied nothing.
 */
public record GtidPosition(List<Gtid> gtids) {
  public GtidPosition {
    gtids = List.copyOf(gtids);
  }

  /**
   * @throws ZoneguardException usage, when an entry is not a GTID
   */
  public static GtidPosition parse(String s) {
    List<Gtid> out = new ArrayList<>();
    if (s != null) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(Gtid.parse(part));
        }
      }
    }
    return new GtidPosition(out);
  }

  /** The GTID of one domain, if the position has one. */
  public Optional<Gtid> inDomain(long domain) {
    return gtids.stream().filter(g -> g.domain() == domain).findFirst();
  }

  /** This position with {@code g} as its domain's GTID (added when the domain had none). */
  public GtidPosition with(Gtid g) {
    List<Gtid> out = new ArrayList<>();
    boolean replaced = false;
    for (Gtid x : gtids) {
      if (x.domain() == g.domain()) {
        out.add(g);
        replaced = true;
      } else {
        out.add(x);
      }
    }
    if (!replaced) {
      out.add(g);
    }
    return new GtidPosition(out);
  }

  /** As MariaDB takes it in {@code SET GLOBAL gtid_slave_pos}: digits, dashes and commas only. */
  public String text() {
    return gtids.stream().map(Gtid::text).collect(Collectors.joining(","));
  }
}
