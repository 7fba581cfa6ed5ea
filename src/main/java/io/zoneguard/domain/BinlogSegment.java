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

  /** {@code binlog.000041} → {@code binlog.000042} (the server's own numbering). */
  public static String nextFile(String file) {
    int dot = file.lastIndexOf('.');
    String digits = file.substring(dot + 1);
    String n = Long.toString(Long.parseLong(digits) + 1);
    return file.substring(0, dot + 1) + "0".repeat(Math.max(0, digits.length() - n.length())) + n;
  }

  /**
   * A hole in one server's archive: events between the end of {@code before} and the start of
   * {@code resumesAt} (index into the ranges) are not archived, so no replay crosses it.
   */
  public record Gap(String description, int resumesAt) {}

  /**
   * The holes in one server's archived ranges (sorted by file and offset), as the listing shows
   * them: a file's ranges not contiguous from byte 0, a file that is not archived to its end
   * (closed) although a later one is, or a jump in the file numbering (files purged before they
   * were archived). Pure: what {@code backup list} shows as the recoverable window.
   */
  public static java.util.List<Gap> gaps(java.util.List<Range> ranges) {
    java.util.List<Gap> out = new java.util.ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      Range r = ranges.get(i);
      Range prev = i == 0 ? null : ranges.get(i - 1);
      boolean sameFile = prev != null && prev.file().equals(r.file());
      if (sameFile && prev.to() != r.from()) {
        out.add(new Gap(r.file() + " bytes " + prev.to() + "-" + r.from(), i));
      } else if (!sameFile && r.from() != 0) {
        out.add(new Gap(r.file() + " bytes 0-" + r.from(), i));
      } else if (!sameFile && prev != null) {
        boolean jump = !nextFile(prev.file()).equals(r.file());
        if (jump || !prev.closed()) {
          out.add(
              new Gap(
                  "between "
                      + prev.file()
                      + (prev.closed() ? "" : " byte " + prev.to())
                      + " and "
                      + r.file()
                      + (jump
                          ? " (binary logs purged before they were archived)"
                          : " (not archived to its end)"),
                  i));
        }
      }
    }
    return out;
  }
}
