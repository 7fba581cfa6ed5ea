package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.config.ConfigKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * An error that names a remedy must name one that exists: a user at 3 a.m. who is told to "pass
 * --bucket" and gets "Unknown option" loses trust in every other message. Checks every flag and
 * environment variable that zoneguard's own sources put into a message against the real picocli
 * command tree and {@link ConfigKey}.
 */
class RemediesTest {
  /** A flag named as something to do: "pass --x", "or --x", "with --x", "unless --x". */
  private static final Pattern REMEDY_FLAG =
      Pattern.compile("\\b(?:pass|or|with|use|add|give|unless|without|and)\\s+(--[a-z][a-z0-9-]*)");

  /**
   * A literal that is a bare flag, outside the adapters (which build child processes' argv, such as
   * mysqldump's): it is spliced into a message ({@code "pass " + flag}).
   */
  private static final Pattern BARE_FLAG = Pattern.compile("--[a-z][a-z0-9-]*");

  private static final Set<String> ADAPTERS = Set.of("aws", "kube", "mysql");

  private static final Pattern ENV = Pattern.compile("\\bZONEGUARD_[A-Z_]+\\b");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

  @Test
  void everyFlagAMessageTellsUsersToPassExists() throws IOException {
    Set<String> flags = allFlags(tree().getCommandSpec());
    Map<String, String> unknown = new TreeMap<>();
    forEachLiteral(
        (file, literal) -> {
          Matcher m = REMEDY_FLAG.matcher(literal);
          while (m.find()) {
            if (!flags.contains(m.group(1))) {
              unknown.put(m.group(1), file + ": \"" + literal + "\"");
            }
          }
          if (BARE_FLAG.matcher(literal).matches()
              && !ADAPTERS.contains(file.getParent().getFileName().toString())
              && !flags.contains(literal)) {
            unknown.put(literal, file.getFileName().toString());
          }
        });
    assertThat(unknown).as("flags named in messages that no zoneguard command has").isEmpty();
  }

  @Test
  void everyZoneguardEnvironmentVariableInTheSourcesIsOneConfigReads() throws IOException {
    Set<String> known =
        Arrays.stream(ConfigKey.values())
            .flatMap(k -> k.envNames().stream())
            .collect(Collectors.toSet());
    Map<String, String> unknown = new TreeMap<>();
    forEachLiteral(
        (file, literal) -> {
          Matcher m = ENV.matcher(literal);
          while (m.find()) {
            if (!known.contains(m.group())) {
              unknown.put(m.group(), file.getFileName().toString());
            }
          }
        });
    assertThat(unknown).isEmpty();
  }

  @Test
  void aMissingBucketNamesAFlagTheFailingCommandAccepts() {
    StringWriter err = new StringWriter();
    int code =
        ZoneguardCommand.execute(
            new String[] {"backup", "list", "-n", "shop", "--statefulset", "mysql"},
            Map.of("ZONEGUARD_AWS_REGION", "us-east-1"),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("store.bucket is not set: pass --bucket, set ZONEGUARD_BUCKET");
    CommandSpec backupList =
        tree().getSubcommands().get("backup").getSubcommands().get("list").getCommandSpec();
    assertThat(backupList.findOption("--bucket")).as("backup list --bucket").isNotNull();
  }

  @Test
  void everyCommandThatReadsTheStoreTakesBucket() {
    CommandLine tree = tree();
    for (String[] path :
        new String[][] {
          {"backup", "run"},
          {"backup", "list"},
          {"backup", "show"},
          {"restore"},
          {"prune"},
          {"drill", "run"},
          {"failover", "plan"},
          {"failover", "apply"},
          {"failback", "apply"},
          {"serve"}
        }) {
      CommandLine c = tree;
      for (String name : path) {
        c = c.getSubcommands().get(name);
      }
      assertThat(c.getCommandSpec().findOption("--bucket"))
          .as(String.join(" ", path) + " --bucket")
          .isNotNull();
    }
  }

  private static CommandLine tree() {
    return new CommandLine(
        new ZoneguardCommand(
            Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
  }

  private static Set<String> allFlags(CommandSpec spec) {
    Set<String> out = new TreeSet<>();
    spec.options().forEach(o -> out.addAll(Arrays.asList(o.names())));
    spec.subcommands().values().forEach(c -> out.addAll(allFlags(c.getCommandSpec())));
    return out;
  }

  private interface LiteralVisitor {
    void visit(Path file, String literal);
  }

  private static void forEachLiteral(LiteralVisitor visitor) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        Matcher m = LITERAL.matcher(text);
        while (m.find()) {
          visitor.visit(f, m.group(1));
        }
      }
    }
  }
}
