package io.zoneguard.backup;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Pulls raw bytes from a source, shows them to a {@link DumpScanner} and yields them zstd
 * compressed: the uploader reads compressed data in the same thread that reads the dump, with no
 * pipe, no temp file and a buffer of about one read. At the source's end it runs {@code atEnd},
 * which may throw: a dump that exited non-zero then fails the read and so aborts the upload.
 */
final class CompressingInputStream extends InputStream {
  /** Called when the source is exhausted; throwing fails the consumer's final read. */
  interface EndCheck {
    void run() throws IOException;
  }

  private final InputStream source;
  private final EndCheck atEnd;
  private final Buffer compressed = new Buffer();
  private final ZstdOutputStreamNoFinalizer zstd;
  private final byte[] raw = new byte[256 * 1024];
  private long rawBytes;
  private boolean ended;

  CompressingInputStream(InputStream source, int level, DumpScanner scanner, EndCheck atEnd)
      throws IOException {
    // mysqldump's output is read and scanned on a thread of its own, compressed on this one.
    this.source = new ReadAheadInputStream(source, 256 * 1024, 16, scanner::update);
    this.atEnd = atEnd;
    this.zstd = new ZstdOutputStreamNoFinalizer(compressed, level);
  }

  long rawBytes() {
    return rawBytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (compressed.available() == 0) {
      if (ended) {
        return -1;
      }
      int n = source.read(raw);
      if (n < 0) {
        zstd.close();
        ended = true;
        atEnd.run();
      } else if (n > 0) {
        rawBytes += n;
        zstd.write(raw, 0, n);
      }
    }
    return compressed.drain(b, off, len);
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** A growable byte queue the compressor writes into and the reader drains. */
  private static final class Buffer extends OutputStream {
    private byte[] data = new byte[512 * 1024];
    private int start;
    private int end;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (end + len > data.length) {
        int live = end - start;
        if (live + len > data.length) {
          data = Arrays.copyOf(data, Math.max(data.length * 2, live + len));
        }
        System.arraycopy(data, start, data, 0, live);
        start = 0;
        end = live;
      }
      System.arraycopy(b, off, data, end, len);
      end += len;
    }

    int available() {
      return end - start;
    }

    int drain(byte[] b, int off, int len) {
      int n = Math.min(len, end - start);
      System.arraycopy(data, start, b, off, n);
      start += n;
      if (start == end) {
        start = 0;
        end = 0;
      }
      return n;
    }
  }
}
