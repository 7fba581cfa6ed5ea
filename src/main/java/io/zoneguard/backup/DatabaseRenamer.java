package io.zoneguard.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a mysqldump stream, rewriting the database names in its {@code CREATE DATABASE} and {@code
 * USE} lines, so a dump made with {@code --databases shop} restores into {@code shop_drill} without
 * touching {@code shop}. Every other byte passes unchanged.
 */
final class DatabaseRenamer {
  private static final Pattern CREATE =
      Pattern.compile(
          "(CREATE DATABASE (?:/\\*!32312 IF NOT EXISTS\\*/ )?)`((?:[^`]|``)+)`(.*)",
          Pattern.DOTALL);
  private static final Pattern USE = Pattern.compile("(USE )`((?:[^`]|``)+)`(;.*)", Pattern.DOTALL);

  private DatabaseRenamer() {}

  static long copy(InputStream in, OutputStream out, Map<String, String> renames)
      throws IOException {
    if (renames.isEmpty()) {
      return in.transferTo(out);
    }
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    boolean atLineStart = true;
    boolean candidate = false;
    for (int n; (n = in.read(buf)) > 0; ) {
      int from = 0;
      for (int i = 0; i < n; i++) {
        if (atLineStart) {
          candidate = buf[i] == 'C' || buf[i] == 'U';
          atLineStart = false;
          if (candidate) {
            out.write(buf, from, i - from);
            from = i;
          }
        }
        if (buf[i] == '\n') {
          if (candidate) {
            line.write(buf, from, i + 1 - from);
            out.write(rewrite(line.toString(StandardCharsets.UTF_8), renames));
            line.reset();
            from = i + 1;
            candidate = false;
          }
          atLineStart = true;
        }
      }
      if (candidate) {
        line.write(buf, from, n - from);
      } else {
        out.write(buf, from, n - from);
      }
      total += n;
    }
    if (line.size() > 0) {
      out.write(rewrite(line.toString(StandardCharsets.UTF_8), renames));
    }
    return total;
  }

  static byte[] rewrite(String line, Map<String, String> renames) {
    for (Pattern p : new Pattern[] {CREATE, USE}) {
      Matcher m = p.matcher(line);
      if (m.matches()) {
        String name = m.group(2).replace("``", "`");
        String to = renames.get(name);
        if (to != null) {
          line = m.group(1) + "`" + to.replace("`", "``") + "`" + m.group(3);
        }
        break;
      }
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }
}
