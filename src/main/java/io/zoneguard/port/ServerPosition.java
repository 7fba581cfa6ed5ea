package io.zoneguard.port;

import io.zoneguard.domain.GtidPosition;
import io.zoneguard.domain.ServerGtidState;

/** A MariaDB server's GTID positions and replication threads (binlog catch-up reads and sets). */
public interface ServerPosition {
  /**
   * @throws io.zoneguard.domain.ZoneguardException unsafe when the server keeps no MariaDB GTID
   *     positions (MySQL, or MariaDB before 10.0)
   */
  ServerGtidState read();

  /**
   * Sets gtid_slave_pos, so replication started later continues after what was replayed (needs the
   * replication threads stopped, and SUPER or REPLICATION SLAVE ADMIN).
   */
  void setSlavePos(GtidPosition position);

  /** The server, for messages (user@host:port, never the password). */
  String describe();
}
