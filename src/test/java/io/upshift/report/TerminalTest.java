package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.source.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a terminal is shown of hostile text: each control character as its escape, all else kept.
 */
class TerminalTest {
  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("plain text", "web-1 ünï ☃", "web-1 ünï ☃"),
        Arguments.of("window title", "\u001b]0;pwned\u0007", "\\u001b]0;pwned\\u0007"),
        Arguments.of("clear screen", "\u001b[2J\u001b[H", "\\u001b[2J\\u001b[H"),
        Arguments.of("C1 CSI and DEL", "a\u009b31m\u007fb", "a\\u009b31m\\u007fb"),
        Arguments.of(
            "bidi override, isolate",
            "x\u202eevil\u202c\u2066y\u2069",
            "x\\u202eevil\\u202c\\u2066y\\u2069"),
        Arguments.of("line breaks, tabs, CR", "a\nb\tc\rd", "a\\nb\\tc\\rd"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void eachControlCharacterIsShownAsItsEscape(String what, String text, String safe) {
    assertThat(Terminal.safe(text)).isEqualTo(safe);
    assertThat(Terminal.safe(safe)).as("escaping twice changes nothing").isEqualTo(safe);
  }

  @Test
  void linesKeepTheirBreaksAndTabsAndLoseWindowsLineEnds() {
    assertThat(Terminal.safeLines("a\r\nb\tc\rd\u001b\n")).isEqualTo("a\nb\tc\\rd\\u001b\n");
  }

  @Test
  void theTailIsTheLastLinesUpToALengthEscapedAndIndented() {
    String output = "1\n2\n3\n4\n5\n6\n7\n\n";
    assertThat(Terminal.tail(output, 5, 400, "> ")).isEqualTo("> 3\n> 4\n> 5\n> 6\n> 7\n");
    assertThat(Terminal.tail("x".repeat(1000) + "\nlast\u001b", 5, 400, ""))
        .as("a long line: its end, after the lines that fit")
        .isEqualTo("last\\u001b\n");
    assertThat(Terminal.tail("y".repeat(1000), 5, 400, "")).isEqualTo("…" + "y".repeat(400) + "\n");
    assertThat(Terminal.tail(" \n\t", 5, 400, "> ")).isEmpty();
    assertThat(Terminal.tail(null, 5, 400, "> ")).isEmpty();
  }

  @Test
  void aGuardedStreamEscapesWhateverPrintsThroughItButItsOwnStatusLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream guard = Terminal.guard(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    guard.println("out \u001b[2J");
    guard.printf("%s|%n", "\u009b");
    guard.print('\u0007');
    guard.print((Object) "\u202e");
    Terminal.raw(guard).print("\r\u001b[K");
    guard.flush();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "out \\u001b[2J"
                + System.lineSeparator()
                + "\\u009b|"
                + System.lineSeparator()
                + "\\u0007\\u202e\r\u001b[K");
    assertThat(Terminal.guard(guard)).isSameAs(guard);
  }

  @Test
  void theReportEscapesControlCharactersAsTheTerminalDoes() {
    assertThat(Html.esc("<b>\u001b[31m\u202e</b>\r\n&"))
        .isEqualTo("&lt;b&gt;\\u001b[31m\\u202e&lt;/b&gt;\n&amp;");
  }
}
