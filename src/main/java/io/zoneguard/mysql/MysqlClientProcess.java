package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.port.DatabaseLoader;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** The {@code mysql} client as a local process over TCP, fed SQL on stdin. */
public final class MysqlClientProcess implements DatabaseLoader {
  private final String binary;
  private final DatabaseEndpoint endpoint;

  public MysqlClientProcess(String binary, DatabaseEndpoint endpoint) {
    this.binary = binary;
    this.endpoint = endpoint;
  }

  @Override
  public RunningLoad start() {
    ClientProcess p =
        ClientProcess.start(
                binary, endpoint, List.of("--default-character-set=utf8mb4", "--batch"), false)
            .keepStdout();
    String target = "mysql " + endpoint;
    return new RunningLoad() {
      @Override
      public OutputStream stdin() {
        return p.process().getOutputStream();
      }

      @Override
      public void finish(Duration timeout) {
        p.finish(timeout, "loading into " + target);
      }

      @Override
      public String output() {
        return p.stdout();
      }

      @Override
      public String target() {
        return target;
      }

      @Override
      public void close() {
        p.kill();
      }
    };
  }
}
