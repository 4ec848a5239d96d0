package io.upshift.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts in unified format (Myers' algorithm, O((N+M)·D)), with three lines of
 * context around each change: what a {@code compare} step shows when a snapshot changed.
 */
public final class Diff {
  private static final int CONTEXT = 3;

  /** How far apart two texts may be before the diff gives up on an exact edit script. */
  private static final int MAX_EDITS = 2_000;

  private Diff() {}

  /** The unified diff from {@code before} to {@code after}, or empty text when they are equal. */
  public static String unified(String before, String after, String fromName, String toName) {
    if (before.equals(after)) {
      return "";
    }
    List<String> a = lines(before);
    List<String> b = lines(after);
    List<Edit> script = edits(a, b);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(fromName).append('\n');
    out.append("+++ ").append(toName).append('\n');
    int i = 0;
    while (i < script.size()) {
      if (script.get(i).op == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      // extend the hunk while changes are closer than twice the context
      while (true) {
        int next = end;
        while (next < script.size() && script.get(next).op != ' ') {
          next++;
        }
        int gap = next;
        while (gap < script.size() && script.get(gap).op == ' ') {
          gap++;
        }
        if (gap < script.size() && gap - next <= 2 * CONTEXT) {
          end = gap;
        } else {
          end = Math.min(script.size(), next + CONTEXT);
          break;
        }
      }
      hunk(out, script, start, end);
      i = end;
    }
    return out.toString();
  }

  /** Counts of lines removed and added by a unified diff. */
  public static int[] counts(String unified) {
    int removed = 0;
    int added = 0;
    for (String line : unified.split("\n", -1)) {
      if (line.startsWith("-") && !line.startsWith("--- ")) {
        removed++;
      } else if (line.startsWith("+") && !line.startsWith("+++ ")) {
        added++;
      }
    }
    return new int[] {removed, added};
  }

  private record Edit(char op, String line, int aLine, int bLine) {}

  private static void hunk(StringBuilder out, List<Edit> script, int start, int end) {
    int aStart = -1;
    int bStart = -1;
    int aCount = 0;
    int bCount = 0;
    for (int k = start; k < end; k++) {
      Edit e = script.get(k);
      if (e.op != '+') {
        aStart = aStart < 0 ? e.aLine : aStart;
        aCount++;
      }
      if (e.op != '-') {
        bStart = bStart < 0 ? e.bLine : bStart;
        bCount++;
      }
    }
    out.append("@@ -")
        .append(aStart < 0 ? 0 : aStart + 1)
        .append(',')
        .append(aCount)
        .append(" +")
        .append(bStart < 0 ? 0 : bStart + 1)
        .append(',')
        .append(bCount)
        .append(" @@\n");
    for (int k = start; k < end; k++) {
      Edit e = script.get(k);
      out.append(e.op).append(e.line).append('\n');
    }
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** The edit script: Myers' greedy forward search, then a walk back through saved frontiers. */
  private static List<Edit> edits(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int max = n + m;
    int limit = Math.min(max, MAX_EDITS);
    int offset = limit + 1;
    int[] v = new int[2 * limit + 3];
    List<int[]> trace = new ArrayList<>();
    int found = -1;
    for (int d = 0; d <= limit && found < 0; d++) {
      trace.add(v.clone());
      for (int k = -d; k <= d; k += 2) {
        int x =
            (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                ? v[offset + k + 1]
                : v[offset + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a.get(x).equals(b.get(y))) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          found = d;
          break;
        }
      }
    }
    if (found < 0) { // too different: everything removed, everything added
      List<Edit> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(new Edit('-', a.get(i), i, 0));
      }
      for (int j = 0; j < m; j++) {
        out.add(new Edit('+', b.get(j), 0, j));
      }
      return out;
    }
    List<Edit> reversed = new ArrayList<>();
    int x = n;
    int y = m;
    for (int d = found; d > 0; d--) {
      int[] prev = trace.get(d);
      int k = x - y;
      int prevK =
          (k == -d || (k != d && prev[offset + k - 1] < prev[offset + k + 1])) ? k + 1 : k - 1;
      int prevX = prev[offset + prevK];
      int prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        x--;
        y--;
        reversed.add(new Edit(' ', a.get(x), x, y));
      }
      if (x == prevX) {
        y--;
        reversed.add(new Edit('+', b.get(y), x, y));
      } else {
        x--;
        reversed.add(new Edit('-', a.get(x), x, y));
      }
    }
    while (x > 0 && y > 0) {
      x--;
      y--;
      reversed.add(new Edit(' ', a.get(x), x, y));
    }
    List<Edit> out = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) {
      out.add(reversed.get(i));
    }
    return out;
  }
}
