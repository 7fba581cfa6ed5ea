package io.zoneguard.cli;

import io.zoneguard.backup.RestoreService;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DatabaseOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.RestoreSourceOptions;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.Human;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.BackupManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restores a backup set's dump into a database server (SHA-256 checked first).",
      "",
      "Streams a backup set's dump into a database server, after verifying its SHA-256 against",
      "the manifest (a corrupted dump restores nothing). --rename loads a database under another",
      "name, e.g. into a scratch copy beside production.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  zoneguard restore -n shop --statefulset mysql --db-host 10.0.0.5 --db-password-file pw",
      "  zoneguard restore -n shop --statefulset mysql --set 20261123T101500Z-1a2b3c \\",
      "      --db-host 127.0.0.1 --rename shop=shop_check"
    })
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand ZoneguardCommand root;
  @Mixin CommonOptions common;
  @Mixin TargetOptions target;
  @Mixin DatabaseOptions db;
  @Mixin RestoreSourceOptions source;

  @Option(
      names = "--rename",
      paramLabel = "FROM=TO",
      description = "load database FROM as TO; repeatable.")
  Map<String, String> renames = new LinkedHashMap<>();

  @Override
  public Integer call() {
    try (Wiring w = new Wiring(common, root.env)) {
      BackupManifest m = w.backupStore().chosen(target.namespace, target.statefulSet, source.set());
      var endpoint =
          db.target(
              "restore never guesses which server to write into",
              root.env,
              w::secrets,
              target.namespace);
      RestoreService.Result r =
          w.restoreService().restore(m, Wiring.loader(source.mysql, endpoint), renames);
      if (common.output == OutputFormat.json) {
        Json.print(root.out, r);
      } else {
        root.out.printf(
            "restored set %s into %s: %s of SQL, SHA-256 verified in %.1f s, loaded in %.1f s%n",
            r.setId(), r.target(), Human.bytes(r.sqlBytes()), r.verifySeconds(), r.loadSeconds());
        r.renames().forEach((a, b) -> root.out.println("  database " + a + " -> " + b));
      }
      return 0;
    }
  }
}
