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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds a {@link ZoneguardConfig} from a YAML file, the environment and command-line flags, and
 * validates every value up front: a bad value names its key, where it came from and what is
 * allowed, and fails with exit code 2 before anything touches AWS or Kubernetes.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
    if (file.isPresent()) {
      readFile(file.get())
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
    return new ZoneguardConfig(values, sources);
  }

  private static Map<ConfigKey, String> readFile(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw ZoneguardException.usage("config file " + file + " does not exist");
    } catch (IOException e) {
      throw ZoneguardException.usage(
          "config file " + file + " is not valid YAML: " + Text.firstLine(e.getMessage()));
    }
    Map<ConfigKey, String> out = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return out;
    }
    if (!root.isObject()) {
      throw ZoneguardException.usage("config file " + file + " must hold a YAML mapping");
    }
    flatten("", root, file, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Path file, Map<ConfigKey, String> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = prefix + f.getKey();
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
