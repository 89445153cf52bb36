package dev.sequent.model.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table rich 15 draws for Keras' {@code summary()}: {@code rich.table.Table(*columns,
 * width=line_length, show_lines=True)} with every column of a fixed width, printed to a console
 * without a terminal (no colour, no styles). What is ported, and from where:
 *
 * <ul>
 *   <li>the column widths: {@code Table._calculate_column_widths} for fixed-width columns in a table
 *       of a given width (each column its width plus one space either side; the total over the
 *       table's inner width is taken off evenly by {@code ratio_reduce}, a total under it handed
 *       out in proportion by {@code ratio_distribute}, as the table then expands);
 *   <li>a cell's lines: {@code Text.wrap} with the column's justification and rich's default
 *       {@code overflow="ellipsis"}: words (a run of non-space with the spaces after it) fill a
 *       line while they fit ({@code _wrap.divide_line} without folding), a word longer than the
 *       line gets a line of its own cut to the width with "…", the spaces a line ends in are
 *       dropped where they reach past the width;
 *   <li>the box: {@code box.HEAVY_HEAD}, one line between rows.
 * </ul>
 *
 * Widths are counted in characters: Keras' cells hold names, shapes and digits, no wide glyphs.
 */
final class RichTable {
  private static final Pattern WORD = Pattern.compile("\\s*\\S+\\s*");
  private static final Pattern TRAILING_SPACE = Pattern.compile("\\s+$");

  private final List<String> headers;
  private final boolean[] right;
  private final int[] widths;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * @param headers the column titles
   * @param right which columns are right-justified
   * @param columnWidths each {@code rich.table.Column(width=...)}
   * @param tableWidth {@code Table(width=...)}, borders included
   */
  RichTable(List<String> headers, boolean[] right, int[] columnWidths, int tableWidth) {
    this.headers = List.copyOf(headers);
    this.right = right.clone();
    this.widths = columnWidths(columnWidths, tableWidth);
  }

  void addRow(List<String> cells) {
    rows.add(List.copyOf(cells));
  }

  /** The widths of the columns with their padding, borders not included. */
  static int[] columnWidths(int[] columnWidths, int tableWidth) {
    int n = columnWidths.length;
    int maxWidth = tableWidth - (n + 1);
    int[] w = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = Math.min(columnWidths[i] + 2, maxWidth);
      total += w[i];
    }
    if (total > maxWidth) {
      w = ratioReduce(total - maxWidth, w);
      total = 0;
      for (int x : w) {
        total += x;
      }
    }
    if (total < maxWidth) {
      int[] pad = ratioDistribute(maxWidth - total, w);
      for (int i = 0; i < n; i++) {
        w[i] += pad[i];
      }
    }
    return w;
  }

  /** rich._ratio.ratio_reduce with equal ratios and each value its own maximum. */
  private static int[] ratioReduce(int total, int[] values) {
    int[] out = new int[values.length];
    int totalRatio = 0;
    for (int v : values) {
      totalRatio += v != 0 ? 1 : 0;
    }
    int remaining = total;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0 && totalRatio > 0) {
        // Python's round(): halves to even, as Math.rint
        int distributed = (int) Math.min(values[i], Math.rint((double) remaining / totalRatio));
        out[i] = values[i] - distributed;
        remaining -= distributed;
        totalRatio -= 1;
      } else {
        out[i] = values[i];
      }
    }
    return out;
  }

  /** rich._ratio.ratio_distribute without minimums. */
  private static int[] ratioDistribute(int total, int[] ratios) {
    int[] out = new int[ratios.length];
    long totalRatio = 0;
    for (int r : ratios) {
      totalRatio += r;
    }
    int remaining = total;
    for (int i = 0; i < ratios.length; i++) {
      int distributed = totalRatio > 0 ? (int) Math.ceil((double) ratios[i] * remaining / totalRatio) : remaining;
      out[i] = distributed;
      totalRatio -= ratios[i];
      remaining -= distributed;
    }
    return out;
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(rule('┏', '━', '┳', '┓'));
    sb.append(row(headers, '┃'));
    sb.append(rule('┡', '━', '╇', '┩'));
    for (int i = 0; i < rows.size(); i++) {
      sb.append(row(rows.get(i), '│'));
      sb.append(i + 1 < rows.size() ? rule('├', '─', '┼', '┤') : rule('└', '─', '┴', '┘'));
    }
    return sb.toString();
  }

  private String rule(char left, char fill, char cross, char rightEdge) {
    StringBuilder sb = new StringBuilder().append(left);
    for (int i = 0; i < widths.length; i++) {
      sb.append(String.valueOf(fill).repeat(widths[i])).append(i + 1 < widths.length ? cross : rightEdge);
    }
    return sb.append('\n').toString();
  }

  private String row(List<String> cells, char edge) {
    List<List<String>> lines = new ArrayList<>();
    int height = 1;
    for (int i = 0; i < widths.length; i++) {
      List<String> cellLines = wrap(cells.get(i), widths[i] - 2, right[i]);
      lines.add(cellLines);
      height = Math.max(height, cellLines.size());
    }
    StringBuilder sb = new StringBuilder();
    for (int h = 0; h < height; h++) {
      sb.append(edge);
      for (int i = 0; i < widths.length; i++) {
        List<String> cellLines = lines.get(i);
        String text = h < cellLines.size() ? cellLines.get(h) : " ".repeat(widths[i] - 2);
        sb.append(' ').append(text).append(' ').append(edge);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** rich's Text.wrap(width, justify="left"/"right", overflow="ellipsis"), each line padded to the width. */
  static List<String> wrap(String text, int width, boolean rightJustify) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      List<Integer> breaks = divideLine(line, width);
      int start = 0;
      List<String> pieces = new ArrayList<>();
      for (int b : breaks) {
        pieces.add(line.substring(start, b));
        start = b;
      }
      pieces.add(line.substring(start));
      for (String piece : pieces) {
        piece = rstripEnd(piece, width);
        if (rightJustify) {
          piece = truncate(piece.stripTrailing(), width);
          out.add(" ".repeat(width - piece.length()) + piece);
        } else {
          piece = truncate(piece, width);
          out.add(piece + " ".repeat(width - piece.length()));
        }
      }
    }
    return out;
  }

  /** rich._wrap.divide_line(text, width, fold=False): where the lines break. */
  private static List<Integer> divideLine(String text, int width) {
    List<Integer> breaks = new ArrayList<>();
    int offset = 0;
    Matcher m = WORD.matcher(text);
    int position = 0;
    while (position < text.length() && m.find(position) && m.start() == position) {
      int start = m.start();
      String word = m.group();
      int wordLength = word.stripTrailing().length();
      if (width - offset >= wordLength) {
        offset += word.length();
      } else if (wordLength > width) {
        // no room on any line: a line of its own, cropped later
        if (start > 0) {
          breaks.add(start);
        }
        offset = word.length();
      } else if (offset > 0 && start > 0) {
        breaks.add(start);
        offset = word.length();
      }
      position = m.end();
    }
    return breaks;
  }

  /** Text.rstrip_end: trailing spaces past the width go (as many as reach past it). */
  private static String rstripEnd(String s, int width) {
    if (s.length() <= width) {
      return s;
    }
    Matcher m = TRAILING_SPACE.matcher(s);
    if (m.find()) {
      int crop = Math.min(m.group().length(), s.length() - width);
      return s.substring(0, s.length() - crop);
    }
    return s;
  }

  /** Text.truncate(width, overflow="ellipsis"). */
  private static String truncate(String s, int width) {
    return s.length() > width ? s.substring(0, width - 1) + "…" : s;
  }
}
