package io.upshift.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where each placeholder of a command stands for the POSIX shell that runs it: outside quotes, in
 * double or single quotes, in a here-document, or in a place where no quoting of a value is safe.
 * Found by walking the command's text once, as the shell's lexer does: quotes, backslashes, {@code
 * $(...)}, {@code ${...}}, backquotes, arithmetic, comments and here-documents. {@link Template}
 * quotes each value for the place it stands in; the plan's validation refuses the others.
 *
 * <p>The walk knows the part of the shell language where sh (dash) and bash agree. Where they do
 * not (a {@code case} inside {@code $(...)}, a single quote inside {@code ${...}} within double
 * quotes, a command substitution across the lines of a here-document, ...), every later placeholder
 * is {@link Quoting#UNCLEAR}: refused rather than guessed, since a wrong guess could let a value
 * out of its quotes.
 */
public final class ShellContext {

  /** The places a placeholder can stand in; the first five take a value, quoted for them. */
  public enum Quoting {
    /** Outside quotes: the value goes in single quotes. */
    UNQUOTED("outside quotes", null),
    /** Inside the plan's own double quotes: {@code \ " $ `} get a backslash. */
    DOUBLE("inside double quotes", null),
    /** Inside the plan's own single quotes: each {@code '} becomes {@code '\''}. */
    SINGLE("inside single quotes", null),
    /** In a here-document whose delimiter is not quoted: {@code \ $ `} get a backslash. */
    HEREDOC("in a here-document", null),
    /** In a here-document with a quoted delimiter ({@code <<'EOF'}): the value as it is. */
    LITERAL_HEREDOC("in a quoted here-document", null),
    BACKQUOTED(
        "inside backquotes `...`",
        "write $(...) instead of backquotes; inside it a value is quoted as anywhere else"),
    ARITHMETIC(
        "inside shell arithmetic",
        "arithmetic evaluates its text (bash runs $(...) found in it); pass the value outside it,"
            + " after checking that it is a number"),
    PARAMETER(
        "inside ${...}", "set a variable first and use that, e.g. `v={{x}}; echo \"${v:-none}\"`"),
    DOLLAR_QUOTED(
        "inside $'...'",
        "use plain single quotes '...' (or none: a value is quoted where it stands)"),
    COMMENT(
        "in a shell comment",
        "take it out of the comment: a value holding a line break would end the comment and run"),
    ESCAPED(
        "right after a backslash",
        "remove the backslash: a value is quoted for the place it stands in"),
    AFTER_DOLLAR(
        "right after a `$`",
        "remove the `$`, or write the variable as ${NAME} so that the two stay apart"),
    DELIMITER("in a here-document's delimiter", "write the delimiter out, e.g. <<EOF ... EOF"),
    UNCLEAR("where sh and bash quote differently", null);

    private final String where;
    private final String hint;

    Quoting(String where, String hint) {
      this.where = where;
      this.hint = hint;
    }

    /** Whether a value can be quoted for this place. */
    public boolean takesValue() {
      return ordinal() <= LITERAL_HEREDOC.ordinal();
    }

    /** Where it is, in words: "inside double quotes". */
    public String where() {
      return where;
    }

    /** What to write instead, for a place that takes no value. */
    public String hint() {
      return hint;
    }
  }

  /**
   * Where one placeholder stands.
   *
   * @param delimiter the here-document's delimiter, for the two here-document places; else null
   * @param stripTabs whether the here-document is {@code <<-}, which removes leading tabs
   * @param lineStart whether only tabs precede the placeholder on its line (here-documents)
   * @param why for {@link Quoting#UNCLEAR}: what made the quoting unclear, and where
   */
  public record Place(
      Quoting quoting, String delimiter, boolean stripTabs, boolean lineStart, String why) {
    static Place of(Quoting q) {
      return new Place(q, null, false, false, null);
    }
  }

  /**
   * What a walk found: the place of each span, and the lines that end a here-document, as {@code
   * {start, end}} offsets of the line without its line break.
   */
  public record Scan(List<Place> places, List<int[]> terminators) {}

  private enum Type {
    COMMAND,
    DOUBLE,
    SINGLE,
    PARAMETER,
    ARITHMETIC,
    BACKQUOTE,
    DOLLAR_SINGLE,
    COMMENT,
    HEREDOC
  }

  private static final class Frame {
    final Type type;
    final char close; // COMMAND: ')' in $(...), 0 at the top; ARITHMETIC: ')' or ']'
    final boolean command; // ARITHMETIC: the (( ... )) command rather than $(( ... ))
    int depth; // parentheses in COMMAND and ARITHMETIC, for the matching close
    String delimiter; // HEREDOC
    boolean quoted; // HEREDOC: the delimiter was quoted, the text is literal
    boolean stripTabs; // HEREDOC: <<-

    Frame(Type type, char close, boolean command, int depth) {
      this.type = type;
      this.close = close;
      this.command = command;
      this.depth = depth;
    }
  }

  private final String text;
  private final int[] starts;
  private final int[] ends;
  private final Place[] places;
  private final List<int[]> terminators = new ArrayList<>();
  private final Deque<Frame> stack = new ArrayDeque<>();
  private final List<Frame> pending = new ArrayList<>(); // here-documents after the next line break
  private int i;
  private int next; // the next span
  private boolean wordStart = true;
  private Quoting flag; // ESCAPED or AFTER_DOLLAR for a span starting right here
  private String unclear;
  private int heredocs; // here-documents on the stack
  private int joined = -1; // the start of a line joined to the one before by a backslash

  private ShellContext(String text, int[] starts, int[] ends) {
    this.text = text;
    this.starts = starts;
    this.ends = ends;
    this.places = new Place[starts.length];
  }

  /**
   * Walks {@code text}, telling the place of each span {@code [starts[k], ends[k])} (in order, not
   * overlapping), whose text is a placeholder's, passed over as one word. A span of length 0 is a
   * probe: the place at that offset of text that is walked as any other.
   */
  public static Scan scan(String text, int[] starts, int[] ends) {
    ShellContext s = new ShellContext(text, starts, ends);
    s.walk();
    return new Scan(List.of(s.places), List.copyOf(s.terminators));
  }

  private void walk() {
    stack.push(new Frame(Type.COMMAND, (char) 0, false, 0));
    while (true) {
      while (next < starts.length && starts[next] <= i) {
        places[next] = here();
        if (ends[next] > starts[next]) {
          i = Math.max(i, ends[next]);
          wordStart = false;
        }
        flag = null;
        next++;
      }
      if (i >= text.length()) {
        break;
      }
      Frame top = stack.peek();
      if (heredocs > 0 && top.type != Type.HEREDOC && text.charAt(i) == '\n') {
        unclear("a construct spanning lines inside a here-document", i);
      }
      switch (top.type) {
        case COMMAND -> command(top);
        case DOUBLE -> dquote();
        case SINGLE -> until('\'');
        case DOLLAR_SINGLE -> dollarSingle();
        case PARAMETER -> parameter(top);
        case ARITHMETIC -> arithmetic(top);
        case BACKQUOTE -> backquote();
        case COMMENT -> comment();
        case HEREDOC -> heredoc(top);
      }
    }
  }

  /** The place at the current offset. */
  private Place here() {
    if (unclear != null) {
      return new Place(Quoting.UNCLEAR, null, false, false, unclear);
    }
    if (flag != null) {
      return Place.of(flag);
    }
    Frame top = stack.peek();
    Frame below = stack.size() > 1 ? stack.toArray(Frame[]::new)[1] : null;
    boolean inParameter = below != null && below.type == Type.PARAMETER;
    return switch (top.type) {
      case COMMAND -> Place.of(Quoting.UNQUOTED);
      case DOUBLE -> Place.of(inParameter ? Quoting.PARAMETER : Quoting.DOUBLE);
      case SINGLE -> Place.of(inParameter ? Quoting.PARAMETER : Quoting.SINGLE);
      case DOLLAR_SINGLE -> Place.of(Quoting.DOLLAR_QUOTED);
      case PARAMETER -> Place.of(Quoting.PARAMETER);
      case ARITHMETIC -> Place.of(Quoting.ARITHMETIC);
      case BACKQUOTE -> Place.of(Quoting.BACKQUOTED);
      case COMMENT -> Place.of(Quoting.COMMENT);
      case HEREDOC ->
          new Place(
              top.quoted ? Quoting.LITERAL_HEREDOC : Quoting.HEREDOC,
              top.delimiter,
              top.stripTabs,
              onlyTabsBefore(i),
              null);
    };
  }

  private boolean onlyTabsBefore(int at) {
    for (int j = at - 1; j >= 0 && text.charAt(j) != '\n'; j--) {
      if (text.charAt(j) != '\t') {
        return false;
      }
    }
    return true;
  }

  private boolean spanAt(int at) {
    return next < starts.length && starts[next] == at && ends[next] > at;
  }

  private char at(int j) {
    return j < text.length() ? text.charAt(j) : '\0';
  }

  private void command(Frame top) {
    char c = text.charAt(i);
    switch (c) {
      case '\'' -> push(Type.SINGLE, 1);
      case '"' -> push(Type.DOUBLE, 1);
      case '`' -> push(Type.BACKQUOTE, 1);
      case '\\' -> backslash();
      case '$' -> dollar(true);
      case '#' -> {
        if (wordStart) {
          push(Type.COMMENT, 0);
        } else {
          i++;
        }
      }
      case '\n' -> {
        i++;
        wordStart = true;
        startHeredocs();
      }
      case '<' -> {
        if (at(i + 1) == '<' && at(i + 2) != '<') {
          heredocOperator();
        } else {
          i += at(i + 1) == '<' ? 3 : 1;
          wordStart = true;
        }
      }
      case '(' -> {
        if (wordStart && at(i + 1) == '(') {
          stack.push(new Frame(Type.ARITHMETIC, ')', true, 2));
          i += 2;
        } else {
          top.depth++;
          i++;
          wordStart = true;
        }
      }
      case ')' -> {
        i++;
        wordStart = true;
        if (top.depth > 0) {
          top.depth--;
        } else if (top.close == ')') {
          if (!pending.isEmpty()) {
            unclear("a here-document announced inside $(...) that it does not hold", i - 1);
          }
          stack.pop();
          wordStart = false;
        }
      }
      case ' ', '\t', ';', '&', '|', '>' -> {
        i++;
        wordStart = true;
      }
      default -> {
        if (wordStart && top.close == ')' && keyword("case")) {
          unclear("a `case` inside $(...)", i);
        }
        i++;
        wordStart = false;
      }
    }
  }

  /** Whether an unquoted word at the current offset is {@code word}. */
  private boolean keyword(String word) {
    int end = i + word.length();
    return text.startsWith(word, i)
        && (end == text.length() || " \t\n;&|()<>".indexOf(text.charAt(end)) >= 0);
  }

  private void dquote() {
    char c = text.charAt(i);
    switch (c) {
      case '"' -> pop();
      case '\\' -> backslash();
      case '$' -> dollar(false);
      case '`' -> push(Type.BACKQUOTE, 1);
      default -> i++;
    }
  }

  private void dollarSingle() {
    char c = text.charAt(i);
    if (c == '\\') {
      if (at(i + 1) == '\'') {
        unclear("an escaped quote inside $'...'", i);
      }
      i += 2;
    } else if (c == '\'') {
      pop();
    } else {
      i++;
    }
  }

  private void parameter(Frame top) {
    char c = text.charAt(i);
    switch (c) {
      case '}' -> {
        if (top.depth == 0) {
          pop();
        } else {
          top.depth--;
          i++;
        }
      }
      case '{' -> {
        unclear("a `{` inside ${...}", i);
        i++;
      }
      case '\'' -> {
        if (stack.stream().anyMatch(f -> f.type == Type.DOUBLE)) {
          unclear("a single quote inside ${...} within double quotes", i);
          i++;
        } else {
          push(Type.SINGLE, 1);
        }
      }
      case '"' -> push(Type.DOUBLE, 1);
      case '`' -> push(Type.BACKQUOTE, 1);
      case '\\' -> backslash();
      case '$' -> dollar(false);
      default -> i++;
    }
  }

  private void arithmetic(Frame top) {
    char c = text.charAt(i);
    char open = top.close == ']' ? '[' : '(';
    if (c == open) {
      top.depth++;
      i++;
    } else if (c == top.close) {
      top.depth--;
      if (top.depth == 0) {
        stack.pop();
        wordStart = false;
      }
      i++;
    } else if (c == '$') {
      dollar(false);
    } else if (c == '`') {
      push(Type.BACKQUOTE, 1);
    } else if (c == '\'' || c == '"' || c == '\\') {
      unclear("a quote or backslash inside arithmetic", i);
      i++;
    } else if (c == '<' && at(i + 1) == '<' && top.command) {
      unclear("`<<` inside ((...)), which sh reads as a here-document", i);
      i += 2;
    } else {
      i++;
    }
  }

  private void backquote() {
    char c = text.charAt(i);
    if (c == '\\') {
      i += 2;
    } else if (c == '`') {
      pop();
    } else {
      i++;
    }
  }

  private void comment() {
    if (text.charAt(i) == '\n') {
      stack.pop(); // the line break is the command's
    } else {
      i++;
    }
  }

  private void heredoc(Frame top) {
    if (onLineStart() && endsHeredoc(top)) {
      return;
    }
    char c = text.charAt(i);
    if (top.quoted) {
      i++;
      return;
    }
    switch (c) {
      case '\\' -> backslash();
      case '$' -> dollar(false);
      case '`' -> push(Type.BACKQUOTE, 1);
      default -> i++;
    }
  }

  private boolean onLineStart() {
    return (i == 0 || text.charAt(i - 1) == '\n') && i != joined;
  }

  /** At a line's start in a here-document: whether the line is its delimiter (then ends it). */
  private boolean endsHeredoc(Frame doc) {
    int end = text.indexOf('\n', i);
    int lineEnd = end < 0 ? text.length() : end;
    int from = i;
    if (doc.stripTabs) {
      while (from < lineEnd && text.charAt(from) == '\t') {
        from++;
      }
    }
    if (!text.substring(from, lineEnd).equals(doc.delimiter)) {
      return false;
    }
    terminators.add(new int[] {i, lineEnd});
    stack.pop();
    heredocs--;
    i = end < 0 ? text.length() : end + 1;
    wordStart = true;
    startHeredocs();
    return true;
  }

  /** After a line break in a command: the bodies of the here-documents it announced, in order. */
  private void startHeredocs() {
    if (!pending.isEmpty()) {
      stack.push(pending.remove(0));
      heredocs++;
    }
  }

  /** {@code <<WORD} or {@code <<-WORD}: reads the delimiter; the body follows the line break. */
  private void heredocOperator() {
    boolean strip = at(i + 2) == '-';
    i += strip ? 3 : 2;
    if (heredocs > 0) {
      unclear("a here-document inside a here-document", i);
    }
    while (at(i) == ' ' || at(i) == '\t') {
      i++;
    }
    int wordAt = i;
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean placeholder = false;
    while (i < text.length() && " \t\n;&|<>()".indexOf(text.charAt(i)) < 0) {
      if (spanAt(i)) {
        places[next] = Place.of(Quoting.DELIMITER);
        i = ends[next++];
        placeholder = true;
        continue;
      }
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        quoted = true;
        int close = text.indexOf(c, i + 1);
        int stop = close < 0 ? text.length() : close;
        for (int j = i + 1; j < stop; j++) {
          if (spanAt(j)) {
            places[next++] = Place.of(Quoting.DELIMITER);
            placeholder = true;
          }
        }
        word.append(text, i + 1, stop);
        i = Math.min(text.length(), stop + 1);
      } else if (c == '\\') {
        quoted = true;
        word.append(at(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    if (word.isEmpty() || placeholder) {
      unclear("a here-document without a delimiter written out", wordAt);
    }
    Frame doc = new Frame(Type.HEREDOC, (char) 0, false, 0);
    doc.delimiter = word.toString();
    doc.quoted = quoted;
    doc.stripTabs = strip;
    pending.add(doc);
    wordStart = true;
  }

  private void backslash() {
    if (spanAt(i + 1)) {
      flag = Quoting.ESCAPED;
      i++;
    } else {
      if (at(i + 1) == '\n') {
        joined = i + 2;
      }
      i += 2;
    }
    wordStart = false;
  }

  /** A {@code $}: a nested construct, a special parameter, or a plain character. */
  private void dollar(boolean command) {
    char c = at(i + 1);
    wordStart = false;
    if (spanAt(i + 1)) {
      flag = Quoting.AFTER_DOLLAR;
      i++;
    } else if (c == '(' && at(i + 2) == '(') {
      stack.push(new Frame(Type.ARITHMETIC, ')', false, 2));
      i += 3;
    } else if (c == '(') {
      stack.push(new Frame(Type.COMMAND, ')', false, 0));
      i += 2;
      wordStart = true;
    } else if (c == '{') {
      stack.push(new Frame(Type.PARAMETER, '}', false, 0));
      i += 2;
    } else if (c == '[') {
      stack.push(new Frame(Type.ARITHMETIC, ']', false, 1));
      i += 2;
    } else if (c == '\'' && command) {
      stack.push(new Frame(Type.DOLLAR_SINGLE, '\'', false, 0));
      i += 2;
    } else if (c == '"' && command) {
      stack.push(new Frame(Type.DOUBLE, '"', false, 0));
      i += 2;
    } else if ("#$?!@*-0123456789".indexOf(c) >= 0) {
      i += 2;
    } else {
      i++;
    }
  }

  private void push(Type type, int consumed) {
    stack.push(new Frame(type, (char) 0, false, 0));
    i += consumed;
    wordStart = false;
  }

  private void pop() {
    stack.pop();
    i++;
    wordStart = false;
  }

  private void until(char close) {
    if (text.charAt(i) == close) {
      pop();
    } else {
      i++;
    }
  }

  private void unclear(String what, int at) {
    if (unclear == null) {
      unclear = what + " (" + lineAndColumn(text, at) + " of the command)";
    }
  }

  /** "line 2, column 5" of an offset, counted from 1. */
  static String lineAndColumn(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int j = 0; j < offset && j < text.length(); j++) {
      if (text.charAt(j) == '\n') {
        line++;
        lineStart = j + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }
}
