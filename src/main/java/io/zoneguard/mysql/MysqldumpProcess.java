package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.port.DatabaseDumper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/** mysqldump as a local process talking TCP to the server. */
public final class MysqldumpProcess implements DatabaseDumper {
  private final String binary;
  private final DatabaseEndpoint endpoint;

  public MysqldumpProcess(String binary, DatabaseEndpoint endpoint) {
    this.binary = binary;
    this.endpoint = endpoint;
  }

  @Override
  public RunningDump start(DumpOptions options) {
    ClientProcess p =
        ClientProcess.start(binary, endpoint, MysqldumpArgs.dumpOptions(options), false);
    try {
      p.process().getOutputStream().close();
    } catch (IOException ignored) {
      // no stdin needed
    }
    String source = "mysqldump " + endpoint;
    return new RunningDump() {
      @Override
      public InputStream stdout() {
        return p.process().getInputStream();
      }

      @Override
      public void finish(Duration timeout) {
        p.finish(timeout, "mysqldump");
      }

      @Override
      public String source() {
        return source;
      }

      @Override
      public void close() {
        p.kill();
      }
    };
  }
}
