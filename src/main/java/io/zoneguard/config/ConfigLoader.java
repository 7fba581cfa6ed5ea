package io.zoneguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.quartz.CronExpression;

/**
 * Builds a {@link ZoneguardConfig} from a YAML file, the environment and command-line flags, and
 * validates every value up front: a bad value names its key, where it came from and what is
 * allowed, and fails with exit code 2 before anything touches AWS or Kubernetes.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String SCHEDULES = "schedules";

  private ConfigLoader() {}

  public static ZoneguardConfig load(
      Optional<Path> file, Map<String, String> env, Map<ConfigKey, String> flags) {
    Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> sources = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      key.defaultValue()
          .ifPresent(
              v -> {
                values.put(key, v);
                sources.put(key, "default");
              });
    }
    JsonNode root = file.map(ConfigLoader::parse).orElse(null);
    if (root != null) {
      scalars(root, file.get())
          .forEach(
              (key, v) -> {
                values.put(key, v);
                sources.put(key, "file " + file.get());
              });
    }
    for (ConfigKey key : ConfigKey.values()) {
      for (String name : key.envNames()) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
          values.put(key, v.trim());
          sources.put(key, "env " + name);
          break;
        }
      }
    }
    flags.forEach(
        (key, v) -> {
          if (v != null) {
            values.put(key, v.trim());
            sources.put(key, "flag");
          }
        });
    values.forEach(
        (key, v) -> {
          if (!key.accepts(v)) {
            throw ZoneguardException.usage(
                "invalid "
                    + key.key()
                    + " '"
                    + v
                    + "' (from "
                    + sources.get(key)
                    + "): expected "
                    + key.allowed());
          }
        });
    return new ZoneguardConfig(
        values, sources, root == null ? List.of() : schedules(root, file.get()));
  }

  private static List<ScheduleSpec> schedules(JsonNode root, Path file) {
    JsonNode node = root.get(SCHEDULES);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw ZoneguardException.usage("schedules in " + file + " must be a list");
    }
    List<ScheduleSpec> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String where = "schedules[" + i + "] in " + file;
      ScheduleSpec s;
      try {
        s = STRICT.treeToValue(node.get(i), ScheduleSpec.class);
      } catch (IOException e) {
        throw ZoneguardException.usage(where + ": " + keyOf(e) + Text.firstLine(oneMessage(e)));
      }
      validate(s, where);
      if (!ids.add(s.id())) {
        throw ZoneguardException.usage(where + ": " + s.id() + " is scheduled twice");
      }
      out.add(s);
    }
    return out;
  }

  /** {@code "drill.port: "} for a value of the wrong type, so the message names its key. */
  private static String keyOf(IOException e) {
    if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)
        || m.getPath().isEmpty()) {
      return "";
    }
    return m.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
        + ": ";
  }

  private static String oneMessage(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        ? j.getOriginalMessage()
        : e.getMessage();
  }

  private static void validate(ScheduleSpec s, String where) {
    if (s.namespace() == null || s.statefulSet() == null) {
      throw ZoneguardException.usage(where + ": namespace and statefulSet are required");
    }
    if (s.backupCron() == null
        && s.pruneCron() == null
        && s.drillCron() == null
        && !s.archivesBinlogs()) {
      throw ZoneguardException.usage(
          where + ": give backupCron, pruneCron, drillCron, binlog.enabled or several");
    }
    if (s.archivesBinlogs()) {
      if (!s.database().via().equals("tcp")) {
        throw ZoneguardException.usage(
            where
                + ": binlog archiving connects as a replication client: database.via must be tcp");
      }
      ScheduleSpec.Binlog b = s.binlog();
      if (b.interval() != null && b.intervalSeconds() != 0) {
        throw ZoneguardException.usage(
            where + ": give binlog.interval or its deprecated spelling intervalSeconds, not both");
      }
      if (b.intervalSeconds() < 0) {
        throw ZoneguardException.usage(where + ": binlog.intervalSeconds must be 1 or more");
      }
      java.time.Duration every;
      ScheduleSpec.From from;
      try {
        every = b.every();
        from = b.source();
      } catch (IllegalArgumentException e) {
        throw ZoneguardException.usage(where + ": binlog: " + e.getMessage());
      }
      if (every.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
        throw ZoneguardException.usage(where + ": binlog.interval must be 1s or more");
      }
      if (from.kind() == ScheduleSpec.From.Kind.PRIMARY && s.database().host() == null) {
        throw ZoneguardException.usage(
            where
                + ": binlog.from primary streams from database.host: set it to the primary's"
                + " address (e.g. its Service)");
      }
      if (s.binlog().replicaServerId() < 1 || s.binlog().replicaServerId() > 4294967295L) {
        throw ZoneguardException.usage(where + ": binlog.replicaServerId must be 1-4294967295");
      }
    }
    if (s.fastRestore() != null) {
      if (s.backupCron() == null) {
        throw ZoneguardException.usage(
            where + ": fastRestore acts after each scheduled backup: it needs backupCron");
      }
      for (String zone : s.fastRestoreZones()) {
        try {
          io.zoneguard.domain.Zone.of(zone);
        } catch (IllegalArgumentException e) {
          throw ZoneguardException.usage(where + ": fastRestore.zones: " + e.getMessage());
        }
      }
    }
    if (s.drillToLatest() && s.drillCron() == null) {
      throw ZoneguardException.usage(
          where + ": drillToLatest needs drillCron, the schedule of the drill that replays");
    }
    if (s.drillCron() != null && (s.drill() == null || s.drill().host() == null)) {
      throw ZoneguardException.usage(
          where + ": drillCron needs drill.host, the scratch database server to restore into");
    }
    for (String[] c :
        new String[][] {
          {"backupCron", s.backupCron()}, {"pruneCron", s.pruneCron()}, {"drillCron", s.drillCron()}
        }) {
      if (c[1] != null && !CronExpression.isValidExpression(c[1])) {
        throw ZoneguardException.usage(
            where
                + ": "
                + c[0]
                + " '"
                + c[1]
                + "' is not a Quartz cron expression (6-7 fields with seconds, e.g. '0 0 * * * ?')");
      }
    }
    if (!s.consistency().equals("crash") && !s.consistency().equals("ftwrl")) {
      throw ZoneguardException.usage(where + ": consistency must be crash or ftwrl");
    }
    var r = s.retention();
    if (r.hourly() < 0 || r.daily() < 0 || r.weekly() < 0 || r.monthly() < 0) {
      throw ZoneguardException.usage(where + ": retention counts cannot be negative");
    }
    if (!s.database().via().equals("tcp") && !s.database().via().equals("exec")) {
      throw ZoneguardException.usage(where + ": database.via must be tcp or exec");
    }
    if (s.database().passwordSecret() != null && s.database().passwordFile() != null) {
      throw ZoneguardException.usage(
          where + ": give database.passwordSecret or passwordFile, not both");
    }
  }

  /** The file's YAML tree, or null when the file is empty. */
  private static JsonNode parse(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw ZoneguardException.usage("config file " + file + " does not exist");
    } catch (IOException e) {
      throw ZoneguardException.usage(
          "config file " + file + " is not valid YAML: " + Text.firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return null;
    }
    if (!root.isObject()) {
      throw ZoneguardException.usage("config file " + file + " must hold a YAML mapping");
    }
    return root;
  }

  private static Map<ConfigKey, String> scalars(JsonNode root, Path file) {
    Map<ConfigKey, String> out = new LinkedHashMap<>();
    flatten("", root, file, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Path file, Map<ConfigKey, String> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = prefix + f.getKey();
      if (key.equals(SCHEDULES)) {
        continue;
      }
      JsonNode v = f.getValue();
      if (v.isObject()) {
        flatten(key + ".", v, file, out);
        continue;
      }
      ConfigKey ck =
          ConfigKey.byKey(key)
              .orElseThrow(
                  () ->
                      ZoneguardException.usage(
                          "unknown key '"
                              + key
                              + "' in config file "
                              + file
                              + " (known keys: "
                              + Arrays.stream(ConfigKey.values())
                                  .map(ConfigKey::key)
                                  .collect(Collectors.joining(", "))
                              + ")"));
      if (!v.isValueNode()) {
        throw ZoneguardException.usage(
            ck.key() + " in config file " + file + " must be a single value: " + ck.allowed());
      }
      if (!v.isNull()) {
        out.put(ck, v.asText());
      }
    }
  }
}
