package io.zoneguard.mysql;

import io.zoneguard.port.DatabaseDumper.DumpOptions;
import java.util.ArrayList;
import java.util.List;

/** The mysqldump options zoneguard uses, shared by the process and exec modes. */
public final class MysqldumpArgs {
  private MysqldumpArgs() {}

  public static List<String> dumpOptions(DumpOptions o) {
    List<String> args = new ArrayList<>();
    // A consistent InnoDB snapshot without locks; streamed row by row; binary as hex so the
    // stream stays text; routines, triggers and events so a restore is a complete database.
    args.addAll(
        List.of(
            "--single-transaction",
            "--quick",
            "--routines",
            "--triggers",
            "--events",
            "--hex-blob",
            "--default-character-set=utf8mb4"));
    if (o.binlogOption() != null) {
      args.add(o.binlogOption());
      if (o.gtid()) {
        args.add("--gtid");
      }
    }
    args.add("--databases");
    args.addAll(o.databases());
    return args;
  }
}
