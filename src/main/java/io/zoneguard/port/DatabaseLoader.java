package io.zoneguard.port;

import java.io.OutputStream;
import java.time.Duration;

/** Feeds SQL into a MySQL/MariaDB server (the {@code mysql} client, locally or in a pod). */
public interface DatabaseLoader {

  RunningLoad start();

  /** A load in progress: write SQL to {@link #stdin()}, close it, then {@link #finish}. */
  interface RunningLoad extends AutoCloseable {
    OutputStream stdin();

    /** Waits for the client to exit; fails with its first error line unless it exited 0. */
    void finish(Duration timeout);

    String target();

    /**
     * What the client printed for the queries it was fed (the head, 16 KiB), once {@link #finish}
     * returned: how a caller reads back a value from the session that ran the load.
     */
    String output();

    @Override
    void close();
  }
}
