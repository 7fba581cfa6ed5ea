package io.zoneguard.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a source on its own thread into a small bounded queue of chunks, so the producer
 * (mysqldump) never waits while the consumer compresses and hashes: the two overlap as the stages
 * of a shell pipeline do. Each chunk is shown to {@code tap} (the dump scanner) on the reader
 * thread. Memory is bounded by {@code depth × chunk}.
 */
final class ReadAheadInputStream extends InputStream {
  /** Sees every chunk, in order, on the reader thread. */
  interface Tap {
    void accept(byte[] buf, int len);
  }

  private static final byte[] EOF = new byte[0];

  private final BlockingQueue<byte[]> queue;
  private final Thread reader;
  private volatile IOException failure;
  private byte[] current;
  private int pos;
  private boolean done;

  ReadAheadInputStream(InputStream source, int chunk, int depth, Tap tap) {
    this.queue = new ArrayBlockingQueue<>(depth);
    this.reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  byte[] buf = new byte[chunk];
                  int n = source.readNBytes(buf, 0, chunk);
                  if (n == 0) {
                    break;
                  }
                  byte[] data = n == chunk ? buf : Arrays.copyOf(buf, n);
                  tap.accept(data, n);
                  queue.put(data);
                  if (n < chunk) {
                    break;
                  }
                }
              } catch (IOException e) {
                failure = e;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              try {
                queue.put(EOF);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dump-read-ahead");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) {
      return -1;
    }
    if (current == null || pos == current.length) {
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the dump", e);
      }
      pos = 0;
      if (current == EOF) {
        done = true;
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
