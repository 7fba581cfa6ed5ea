package io.zoneguard.cli;

import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.view.Json;
import io.zoneguard.cli.view.Table;
import io.zoneguard.config.ConfigKey;
import io.zoneguard.config.ZoneguardConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Inspects configuration.",
    subcommands = {ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: show");
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Validates and prints the effective configuration. Contacts nothing.",
        "",
        "Every key with its value, where it came from (flag, environment variable, file or",
        "default) and the environment variables that set it; -o json adds what each allows.",
        ""
      })
  static final class Show implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        ZoneguardConfig c = w.config();
        if (common.output == OutputFormat.json) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (ConfigKey k : ConfigKey.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", k.key());
            row.put("value", c.get(k).orElse(null));
            row.put("source", c.source(k).orElse(null));
            row.put("env", k.envNames());
            row.put("allowed", k.allowed());
            rows.add(row);
          }
          Json.print(parent.root.out, rows);
        } else {
          Table t = new Table("KEY", "VALUE", "SOURCE", "ENV");
          for (ConfigKey k : ConfigKey.values()) {
            t.row(
                k.key(),
                c.get(k).orElse(null),
                c.source(k).orElse(null),
                String.join(",", k.envNames()));
          }
          t.print(parent.root.out);
        }
        return 0;
      }
    }
  }
}
