package io.upshift.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A reader for the YAML that plans and inventories are written in: block mappings and lists, flow
 * lists and mappings on one line, plain and quoted scalars on one line, folded and literal block
 * scalars, comments. It gives the tree that SnakeYAML gives through {@link YamlSource}, positions
 * and nulls included, or null for any text that uses something else (anchors, tags, scalars over
 * several lines, tabs, several documents, duplicate keys...) or is not valid YAML. {@link
 * YamlSource} then reads that text with SnakeYAML, which also says what is wrong with it.
 *
 * <p>It is there for speed. A short command runs mostly in code the JIT has not compiled yet, and
 * SnakeYAML's layers (reader, scanner, parser, composer, then the conversion to {@link Node}s) take
 * about 30 ms of it for the CERN plan's 12 KB; this reader walks the text once. {@code
 * PlainYamlTest} holds it to SnakeYAML's tree on every YAML file of the project and on thousands of
 * variants of them.
 */
public final class PlainYaml {
  /** Thrown wherever the text leaves what this reader knows: SnakeYAML reads it instead. */
  private static final class Decline extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Decline() {
      super(null, null, false, false);
    }
  }

  private static final Decline DECLINE = new Decline();

  /** Deeper than this, SnakeYAML reads the text (and enforces its own limit). */
  private static final int MAX_DEPTH = 40;

  /** Larger than this, SnakeYAML reads the text (and enforces its own limits). */
  private static final int MAX_CHARS = 4 << 20;

  /** SnakeYAML's limit on the length of a key written on one line. */
  private static final int MAX_KEY = 1024;

  private final Path file;
  private final String text;
  private final int[] starts; // the offset where each line starts
  private final int[] ends; // where each line ends, before its line break
  private final int lines;
  private final boolean endsWithBreak;
  private int cursor; // the next line to read

  private PlainYaml(Path file, String text) {
    this.file = file;
    this.text = text;
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    endsWithBreak = !text.isEmpty() && text.charAt(text.length() - 1) == '\n';
    lines = endsWithBreak ? count - 1 : count;
    starts = new int[count];
    ends = new int[count];
    int line = 0;
    starts[0] = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        ends[line] = i;
        line++;
        starts[line] = i + 1;
      }
    }
    ends[line] = text.length();
  }

  /** The tree of {@code text}, or null when SnakeYAML is to read it. */
  public static Node parse(Path file, String text) {
    String lines = text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n");
    if (lines.length() > MAX_CHARS || !plainCharacters(lines)) {
      return null; // a lone \r breaks a line too: left to SnakeYAML
    }
    try {
      return new PlainYaml(file, lines).document();
    } catch (Decline e) {
      return null;
    }
  }

  /**
   * Whether every character is one this reader takes as it is: printable, one UTF-16 unit
   * (SnakeYAML counts columns in code points), no tab (indentation rules), and no line break but
   * {@code \n}.
   */
  private static boolean plainCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 ? c != '\n' : c >= 0x7F && (c <= 0x9F || isUnusual(c))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnusual(char c) {
    return Character.isSurrogate(c)
        || c == 0x2028
        || c == 0x2029
        || c == 0xFEFF
        || c == 0xFFFE
        || c == 0xFFFF;
  }

  private Node document() {
    int first = nextContent(0);
    if (first == lines || indent(first) != 0) {
      throw DECLINE;
    }
    for (int l = 0; l < lines; l++) {
      if (startsWith(l, "---") || startsWith(l, "...") || startsWith(l, "%")) {
        throw DECLINE; // document markers and directives
      }
    }
    if (isItem(first, 0)) {
      throw DECLINE; // plans and inventories are mappings
    }
    cursor = first;
    Node root = mapping(first, 0, 0);
    if (nextContent(cursor) != lines) {
      throw DECLINE;
    }
    return root;
  }

  /**
   * A block mapping whose first key is on line {@code line} at column {@code column}; the keys
   * after it stand at that column, each at the start of its line.
   */
  private Node.Mapping mapping(int line, int column, int depth) {
    depth(depth);
    List<Node.Entry> entries = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    Position at = position(line, starts[line] + column);
    int l = line;
    int p = starts[line] + column;
    while (true) {
      Key key = key(l, p);
      if (!keys.add(key.value) || (!key.quoted && key.value.equals("<<"))) {
        throw DECLINE; // SnakeYAML's path says what is wrong with duplicate and merge keys
      }
      Node value = valueAfterKey(l, key.after, column, depth);
      entries.add(new Node.Entry(new Node.Scalar(position(l, p), key.value, false), value));
      l = nextContent(cursor);
      if (l == lines || indent(l) < column) {
        break;
      }
      if (indent(l) > column || isItem(l, column)) {
        throw DECLINE;
      }
      p = starts[l] + column;
    }
    return new Node.Mapping(at, entries);
  }

  /** A key: its text, whether it was quoted, and the offset just after its colon. */
  private record Key(String value, boolean quoted, int after) {}

  private Key key(int line, int p) {
    int end = ends[line];
    char c = text.charAt(p);
    if (c == '"' || c == '\'') {
      Scanned s = c == '"' ? doubleQuoted(line, p) : singleQuoted(line, p);
      int q = s.end;
      if (q >= end || text.charAt(q) != ':' || (q + 1 < end && text.charAt(q + 1) != ' ')) {
        throw DECLINE;
      }
      return new Key(s.value, true, q + 1);
    }
    if (isIndicator(c)) {
      throw DECLINE;
    }
    int q = plainEnd(p, end);
    if (q == end || text.charAt(q) != ':') {
      throw DECLINE; // a line without a key where one belongs, or a comment before the colon
    }
    String value = text.substring(p, q).stripTrailing();
    if (value.isEmpty() || value.length() > MAX_KEY) {
      throw DECLINE;
    }
    return new Key(value, false, q + 1);
  }

  /**
   * Where a plain scalar in block context that starts at {@code p} ends: at the colon that ends a
   * key ({@code ": "}, or a colon at the end of the line), at the {@code #} of a comment, or at the
   * end of the line.
   */
  private int plainEnd(int p, int end) {
    for (int q = p; q < end; q++) {
      char k = text.charAt(q);
      if ((k == '#' && q > p && text.charAt(q - 1) == ' ')
          || (k == ':' && (q + 1 == end || text.charAt(q + 1) == ' '))) {
        return q;
      }
    }
    return end;
  }

  /** The value of a key of a mapping at {@code column}, from just after its colon. */
  private Node valueAfterKey(int line, int afterColon, int column, int depth) {
    int q = skipSpaces(afterColon, ends[line]);
    if (q == ends[line] || text.charAt(q) == '#') {
      cursor = line + 1;
      int next = nextContent(cursor);
      if (next < lines && indent(next) > column) {
        return block(next, indent(next), depth + 1);
      }
      if (next < lines && indent(next) == column && isItem(next, column)) {
        return sequence(next, column, depth + 1); // a list written at its key's indentation
      }
      // nothing: SnakeYAML's empty scalar stands just after the colon
      return new Node.Scalar(position(line, afterColon), "", true);
    }
    return inline(line, q, column, depth + 1);
  }

  /** A block node whose first line is {@code line}, indented by {@code column}. */
  private Node block(int line, int column, int depth) {
    cursor = line;
    return isItem(line, column) ? sequence(line, column, depth) : mapping(line, column, depth);
  }

  /** A block sequence whose dashes stand at {@code column}, from line {@code line}. */
  private Node.Sequence sequence(int line, int column, int depth) {
    depth(depth);
    Position at = position(line, starts[line] + column);
    List<Node> items = new ArrayList<>();
    int l = line;
    while (true) {
      int end = ends[l];
      int q = skipSpaces(starts[l] + column + 1, end);
      if (q == end || text.charAt(q) == '#') {
        throw DECLINE; // an item on the lines below its dash
      }
      char c = text.charAt(q);
      if ((c == '-' || c == '?' || c == ':') && (q + 1 == end || text.charAt(q + 1) == ' ')) {
        throw DECLINE; // a list in a list, a complex key
      }
      if (isKeyLine(l, q)) {
        cursor = l;
        items.add(mapping(l, q - starts[l], depth + 1));
      } else {
        items.add(inline(l, q, column, depth + 1));
      }
      l = nextContent(cursor);
      if (l == lines || indent(l) < column || !isItem(l, column)) {
        if (l < lines && indent(l) > column) {
          throw DECLINE;
        }
        break;
      }
    }
    return new Node.Sequence(at, items);
  }

  /** Whether the item text at {@code q} is a key (a mapping in the item) rather than a value. */
  private boolean isKeyLine(int line, int q) {
    int end = ends[line];
    char c = text.charAt(q);
    if (c == '"' || c == '\'') {
      Scanned s = c == '"' ? doubleQuoted(line, q) : singleQuoted(line, q);
      return s.end < end && text.charAt(s.end) == ':';
    }
    if (c == '[' || c == '{' || c == '|' || c == '>') {
      return false;
    }
    int stop = plainEnd(q, end);
    return stop < end && text.charAt(stop) == ':';
  }

  /**
   * A value written on its key's or dash's line, at {@code q}: a scalar, a flow collection, or a
   * block scalar's header. {@code column} is the indentation of the node it belongs to: a line
   * below indented more would continue it, which this reader leaves to SnakeYAML.
   */
  private Node inline(int line, int q, int column, int depth) {
    int end = ends[line];
    char c = text.charAt(q);
    Node value;
    int after;
    if (c == '|' || c == '>') {
      return blockScalar(line, q, column);
    }
    if (c == '[' || c == '{') {
      Flow f = flow(line, q, depth);
      value = f.node;
      after = f.end;
    } else if (c == '"' || c == '\'') {
      Scanned s = c == '"' ? doubleQuoted(line, q) : singleQuoted(line, q);
      value = new Node.Scalar(position(line, q), s.value, false);
      after = s.end;
    } else {
      if (isIndicator(c) && !((c == '-' || c == '?') && q + 1 < end && text.charAt(q + 1) != ' ')) {
        throw DECLINE; // "-5" and "?x" are plain; anything else that starts so is not
      }
      int stop = plainEnd(q, end);
      if (stop < end && text.charAt(stop) == ':') {
        throw DECLINE; // a mapping where a value belongs: SnakeYAML says so
      }
      String plain = text.substring(q, stop).stripTrailing();
      value = new Node.Scalar(position(line, q), plain, isNull(plain));
      after = end;
    }
    int rest = skipSpaces(after, end);
    if (rest < end && (text.charAt(rest) != '#' || rest == after)) {
      throw DECLINE; // something after the value, or a comment not set off by a space
    }
    cursor = line + 1;
    int next = nextContent(cursor);
    if (next < lines && indent(next) > column) {
      throw DECLINE; // the value goes on below (or the text is wrong there)
    }
    return value;
  }

  /** What the resolver of {@link YamlSource} takes for null, of a plain scalar. */
  private static boolean isNull(String plain) {
    return switch (plain) {
      case "", "~", "null", "Null", "NULL" -> true;
      default -> false;
    };
  }

  /** A scalar read from the text, and the offset just after it. */
  private record Scanned(String value, int end) {}

  private Scanned doubleQuoted(int line, int q) {
    int end = ends[line];
    StringBuilder b = new StringBuilder();
    for (int p = q + 1; p < end; p++) {
      char c = text.charAt(p);
      if (c == '"') {
        return new Scanned(b.toString(), p + 1);
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++p == end) {
        throw DECLINE;
      }
      char e = text.charAt(p);
      switch (e) {
        case '\\', '"', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case '0' -> b.append('\0');
        case 'u' -> {
          if (p + 4 >= end) {
            throw DECLINE;
          }
          int code = 0;
          for (int i = 1; i <= 4; i++) {
            int digit = Character.digit(text.charAt(p + i), 16);
            if (digit < 0) {
              throw DECLINE;
            }
            code = code * 16 + digit;
          }
          if (Character.isSurrogate((char) code)) {
            throw DECLINE;
          }
          b.append((char) code);
          p += 4;
        }
        default -> throw DECLINE;
      }
    }
    throw DECLINE; // not closed on its line
  }

  private Scanned singleQuoted(int line, int q) {
    int end = ends[line];
    StringBuilder b = new StringBuilder();
    for (int p = q + 1; p < end; p++) {
      char c = text.charAt(p);
      if (c == '\'') {
        if (p + 1 < end && text.charAt(p + 1) == '\'') {
          b.append('\'');
          p++;
          continue;
        }
        return new Scanned(b.toString(), p + 1);
      }
      b.append(c);
    }
    throw DECLINE;
  }

  /** A flow collection, and the offset just after it. */
  private record Flow(Node node, int end) {}

  private Flow flow(int line, int q, int depth) {
    depth(depth);
    int end = ends[line];
    boolean isList = text.charAt(q) == '[';
    char close = isList ? ']' : '}';
    List<Node> items = new ArrayList<>();
    List<Node.Entry> entries = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int p = skipSpaces(q + 1, end);
    if (p < end && text.charAt(p) == close) {
      return new Flow(
          isList
              ? new Node.Sequence(position(line, q), items)
              : new Node.Mapping(position(line, q), entries),
          p + 1);
    }
    while (true) {
      if (p >= end) {
        throw DECLINE; // not closed on its line
      }
      if (isList) {
        Flow item = flowItem(line, p, depth);
        items.add(item.node);
        p = item.end;
      } else {
        Flow key = flowItem(line, p, depth);
        if (!(key.node instanceof Node.Scalar k)
            || key.end + 1 >= end
            || text.charAt(key.end) != ':'
            || text.charAt(key.end + 1) != ' '
            || !keys.add(k.value())
            || (k.value().equals("<<") && text.charAt(p) != '"' && text.charAt(p) != '\'')) {
          throw DECLINE;
        }
        int v = skipSpaces(key.end + 1, end);
        if (v >= end || text.charAt(v) == ',' || text.charAt(v) == '}') {
          throw DECLINE; // a key without a value
        }
        Flow value = flowItem(line, v, depth);
        entries.add(new Node.Entry(new Node.Scalar(k.at(), k.value(), false), value.node));
        p = value.end;
      }
      p = skipSpaces(p, end);
      if (p >= end) {
        throw DECLINE;
      }
      char c = text.charAt(p);
      if (c == close) {
        Node node =
            isList
                ? new Node.Sequence(position(line, q), items)
                : new Node.Mapping(position(line, q), entries);
        return new Flow(node, p + 1);
      }
      if (c != ',') {
        throw DECLINE;
      }
      p = skipSpaces(p + 1, end);
      if (p < end && (text.charAt(p) == close || text.charAt(p) == ',')) {
        throw DECLINE; // an empty entry
      }
    }
  }

  /** A value inside a flow collection: a nested one, a quoted or a plain scalar. */
  private Flow flowItem(int line, int p, int depth) {
    int end = ends[line];
    char c = text.charAt(p);
    if (c == '[' || c == '{') {
      return flow(line, p, depth + 1);
    }
    if (c == '"' || c == '\'') {
      Scanned s = c == '"' ? doubleQuoted(line, p) : singleQuoted(line, p);
      return new Flow(new Node.Scalar(position(line, p), s.value, false), s.end);
    }
    if (isIndicator(c)) {
      throw DECLINE;
    }
    int q = p;
    while (q < end) {
      char k = text.charAt(q);
      if (k == ',' || k == ']' || k == '}') {
        break;
      }
      if (k == ':' && q + 1 < end && text.charAt(q + 1) == ' ') {
        break; // the end of a key
      }
      if (k == '[' || k == '{' || k == '#' || k == ':' || k == '?') {
        throw DECLINE; // flow indicators, comments, other colons: left to SnakeYAML
      }
      q++;
    }
    String plain = text.substring(p, q).stripTrailing();
    return new Flow(new Node.Scalar(position(line, p), plain, isNull(plain)), p + plain.length());
  }

  /**
   * A folded ({@code >}) or literal ({@code |}) block scalar whose header is at {@code q}, for a
   * node indented by {@code column}: its lines are the ones below indented more.
   */
  private Node blockScalar(int line, int q, int column) {
    int end = ends[line];
    boolean folded = text.charAt(q) == '>';
    int p = q + 1;
    char chomp = 'c';
    if (p < end && (text.charAt(p) == '-' || text.charAt(p) == '+')) {
      chomp = text.charAt(p++);
    }
    int rest = skipSpaces(p, end);
    if (rest < end && (text.charAt(rest) != '#' || rest == p)) {
      throw DECLINE; // an indentation indicator, or anything else
    }
    int first = line + 1;
    if (first >= lines || isBlank(first)) {
      throw DECLINE;
    }
    int indent = indent(first);
    if (indent <= column) {
      throw DECLINE; // empty
    }
    List<String> content = new ArrayList<>();
    int l = first;
    while (l < lines) {
      if (isBlank(l)) {
        if (ends[l] - starts[l] > indent) {
          throw DECLINE; // spaces beyond the indentation are content
        }
        content.add("");
        l++;
        continue;
      }
      int i = indent(l);
      if (i < indent) {
        break;
      }
      if (i > indent && folded) {
        throw DECLINE; // more indented lines keep their breaks: left to SnakeYAML
      }
      content.add(text.substring(starts[l] + indent, ends[l]));
      l++;
    }
    if (l == lines && !endsWithBreak) {
      throw DECLINE;
    }
    int trailing = 0;
    while (content.get(content.size() - 1 - trailing).isEmpty()) {
      trailing++;
    }
    List<String> body = content.subList(0, content.size() - trailing);
    StringBuilder b = new StringBuilder(body.get(0));
    for (int i = 1; i < body.size(); i++) {
      if (!folded) {
        b.append('\n').append(body.get(i));
        continue;
      }
      int empty = 0;
      while (body.get(i).isEmpty()) {
        empty++;
        i++;
      }
      if (empty == 0) {
        b.append(' ');
      } else {
        b.append("\n".repeat(empty));
      }
      b.append(body.get(i));
    }
    switch (chomp) {
      case '-' -> {}
      case '+' -> b.append("\n".repeat(trailing + 1));
      default -> b.append('\n');
    }
    cursor = l;
    return new Node.Scalar(position(line, q), b.toString(), false);
  }

  /** Characters that may not start a plain scalar (or that start something else). */
  private static boolean isIndicator(char c) {
    return switch (c) {
      case '-',
          '?',
          ':',
          ',',
          '[',
          ']',
          '{',
          '}',
          '#',
          '&',
          '*',
          '!',
          '|',
          '>',
          '\'',
          '"',
          '%',
          '@',
          '`' ->
          true;
      default -> false;
    };
  }

  /** Whether line {@code line} is a list item whose dash stands at {@code column}. */
  private boolean isItem(int line, int column) {
    int p = starts[line] + column;
    return p < ends[line]
        && text.charAt(p) == '-'
        && (p + 1 == ends[line] || text.charAt(p + 1) == ' ');
  }

  private boolean startsWith(int line, String prefix) {
    return text.startsWith(prefix, starts[line])
        && (starts[line] + prefix.length() == ends[line]
            || text.charAt(starts[line] + prefix.length()) == ' '
            || prefix.equals("%"));
  }

  /** The first line from {@code line} on that holds more than spaces and a comment. */
  private int nextContent(int line) {
    int l = line;
    while (l < lines) {
      int p = skipSpaces(starts[l], ends[l]);
      if (p < ends[l] && text.charAt(p) != '#') {
        return l;
      }
      l++;
    }
    return lines;
  }

  private boolean isBlank(int line) {
    return skipSpaces(starts[line], ends[line]) == ends[line];
  }

  private int indent(int line) {
    return skipSpaces(starts[line], ends[line]) - starts[line];
  }

  private int skipSpaces(int p, int end) {
    int q = p;
    while (q < end && text.charAt(q) == ' ') {
      q++;
    }
    return q;
  }

  private static void depth(int depth) {
    if (depth > MAX_DEPTH) {
      throw DECLINE;
    }
  }

  private Position position(int line, int offset) {
    return new Position(file, line + 1, offset - starts[line] + 1);
  }
}
