package io.zoneguard.domain;

/**
 * Bytes {@code [from, to)} of one binary log file of one server, archived as one object: the whole
 * file when it was already closed when first archived, else a byte range of the open file (S3
 * objects cannot be appended to). Ranges are event-aligned, so each is readable alone; a file's
 * segments in order of {@code from} are the file itself. {@code closed}: this segment ends the file
 * (its last event is the server's ROTATE). Times (ISO-8601) and GTIDs are those of the first and
 * last event in the range, null when it has none.
 */
public record BinlogSegment(
    long serverId,
    String file,
    long from,
    long to,
    boolean closed,
    String sha256,
    String firstEventTime,
    String lastEventTime,
    String firstGtid,
    String lastGtid) {

  public BinlogSegment {
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("empty or negative binlog range " + from + "-" + to);
    }
  }

  public Range range() {
    return new Range(serverId, file, from, to, closed);
  }

  /** Where a segment lies, as its object key says: enough to resume without reading it. */
  public record Range(long serverId, String file, long from, long to, boolean closed) {}
}
