package io.zoneguard.cli.view;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table, kubectl-style: upper-case headers, two spaces between columns. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "-" : c.toString());
    }
    rows.add(r);
    return this;
  }

  public void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    line(out, headers, width);
    rows.forEach(r -> line(out, r, width));
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      sb.append(cells.get(i));
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(width[i] - cells.get(i).length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
