package io.zoneguard.testing;

import io.zoneguard.domain.DatabaseEndpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * A MariaDB server of the test's own with binary logging on (the machine's shared server has it
 * off): {@code mariadb-install-db} into a temporary directory, then {@code mariadbd --log-bin
 * --server-id=1 --binlog-format=ROW} on a free port (design.md 5a; seconds). root has no password
 * and connects over TCP. Fails, saying how to get it, when the MariaDB server package is missing.
 */
public final class BinlogServer implements AutoCloseable {
  public static final long SERVER_ID = 1;
  private final Path dir;
  private final int port;
  private final Process process;

  private BinlogServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static BinlogServer start() throws IOException, InterruptedException {
    return start(SERVER_ID);
  }

  /** A server with its own {@code serverId}: a second one can replicate from the first. */
  public static BinlogServer start(long serverId) throws IOException, InterruptedException {
    for (String bin : List.of("mariadb-install-db", "mariadbd")) {
      if (!onPath(bin)) {
        throw new IllegalStateException(
            bin + " not found: install the MariaDB server (apt-get install mariadb-server)");
      }
    }
    Path dir = Files.createTempDirectory("zg-binlog-server");
    Process install =
        new ProcessBuilder(
                "mariadb-install-db",
                // the machine's my.cnf runs the server as "mysql", who cannot enter a private
                // temporary directory: run as whoever runs the tests
                "--no-defaults",
                "--user=" + System.getProperty("user.name"),
                "--datadir=" + dir.resolve("data"),
                "--auth-root-authentication-method=normal",
                "--skip-test-db")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("install.log").toFile())
            .start();
    if (install.waitFor() != 0) {
      throw new IllegalStateException(
          "mariadb-install-db failed: " + Files.readString(dir.resolve("install.log")));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                "mariadbd",
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"),
                "--log-bin=" + dir.resolve("data").resolve("binlog"),
                "--server-id=" + serverId,
                "--binlog-format=ROW",
                "--user=" + System.getProperty("user.name"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    BinlogServer b = new BinlogServer(dir, port, server);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Connection c = b.connect()) {
        return b;
      } catch (SQLException e) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          b.close();
          throw new IllegalStateException(
              "mariadbd did not start: " + Files.readString(dir.resolve("server.log")), e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static boolean onPath(String bin) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, bin))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The backup store on {@code bucket} as the CLI with {@code ZONEGUARD_CLUSTER=it-cluster} and the
   * default prefix sees it: where the archive tests read what was archived.
   */
  public static io.zoneguard.backup.BackupStore store(
      io.zoneguard.aws.AwsClients aws, String bucket) {
    return new io.zoneguard.backup.BackupStore(
        new io.zoneguard.aws.S3ObjectStore(aws.s3(), bucket, java.util.Optional.empty()),
        "zoneguard",
        "it-cluster",
        java.time.Clock.systemUTC());
  }

  /**
   * Waits into the next second and returns its start: binlog events carry whole seconds, so what
   * was written before is before it, and what is written after is at or after it.
   */
  public static java.time.Instant nextSecond() throws InterruptedException {
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant next = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    Thread.sleep(Duration.between(now, next).toMillis() + 50);
    return next;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://127.0.0.1:" + port + "/?user=root&password=");
  }

  /**
   * {@code command} with the flags that point it at this server as StatefulSet {@code mysql} of
   * {@code namespace}: {@code -n NS --statefulset mysql --db-host 127.0.0.1 --db-port P}.
   */
  public String[] on(String namespace, String... command) {
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.addAll(
        List.of(
            "-n",
            namespace,
            "--statefulset",
            "mysql",
            "--db-host",
            "127.0.0.1",
            "--db-port",
            "" + port));
    return args.toArray(String[]::new);
  }

  /** {@code backup run} of database {@code shop} on this server, without checksums. */
  public Cli.Result backup(java.util.Map<String, String> env, String namespace) {
    return Cli.run(env, on(namespace, "backup", "run", "--database", "shop", "--no-checksums"));
  }

  /**
   * Closes the current binary log (so the archive holds it whole) and runs {@code binlog archive}
   * on this server for three seconds.
   */
  public Cli.Result archive(java.util.Map<String, String> env, String namespace)
      throws SQLException {
    try (Connection c = connect();
        java.sql.Statement s = c.createStatement()) {
      s.execute("FLUSH BINARY LOGS");
    }
    return Cli.run(
        env, on(namespace, "binlog", "archive", "--interval", "300ms", "--stop-after", "3s"));
  }

  public DatabaseEndpoint endpoint() {
    return new DatabaseEndpoint("127.0.0.1", port, "root", null);
  }

  /**
   * {@code command} reading from this server: {@code --db-host 127.0.0.1 --db-port <port>} added.
   */
  public String[] with(String... command) {
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.addAll(List.of("--db-host", "127.0.0.1", "--db-port", "" + port));
    return args.toArray(String[]::new);
  }

  /** The server's own copy of a binary log file. */
  public Path binlogFile(String name) {
    return dir.resolve("data").resolve(name);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
