package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.plan.ShellContext.Quoting;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the shell reads each placeholder of a command: one row per construct of the language, with
 * the places of its placeholders in order. The rows for UNCLEAR are where sh and bash disagree (the
 * walk refuses rather than guesses).
 */
class ShellContextTest {
  static Stream<Arguments> commands() {
    return Stream.of(
        row("echo {{x}}", "UNQUOTED"),
        row("echo \"{{x}}\" '{{x}}'", "DOUBLE", "SINGLE"),
        row("echo \"a '{{x}}' b\"", "DOUBLE"),
        row("echo 'a \"{{x}}\" b'", "SINGLE"),
        row("echo 'it'\\''s {{x}}'", "SINGLE"),
        row("echo \"a \\\" {{x}}\"", "DOUBLE"),
        row("echo \"$(echo {{x}})\"", "UNQUOTED"),
        row("echo \"$(echo '{{x}}')\"", "SINGLE"),
        row("echo $(echo \"$(echo \"{{x}}\")\")", "DOUBLE"),
        row("echo ( {{x}} ) && f() { echo {{x}}; }", "UNQUOTED", "UNQUOTED"),
        row("echo `echo {{x}}` \"`echo {{x}}`\"", "BACKQUOTED", "BACKQUOTED"),
        row("echo $(({{x}} + 1)) $[{{x}}]", "ARITHMETIC", "ARITHMETIC"),
        row("((n = {{x}})); echo {{x}}", "ARITHMETIC", "UNQUOTED"),
        row("echo $((1 << 2)) $$ $# {{x}}", "UNQUOTED"),
        row("echo ${v:-{{x}}} \"${v:-{{x}}}\"", "PARAMETER", "PARAMETER"),
        row("echo ${v:-\"{{x}}\"} ${v:-'{{x}}'}", "PARAMETER", "PARAMETER"),
        row("echo ${v:-$(echo {{x}})}", "UNQUOTED"),
        row("echo $'{{x}}' $\"{{x}}\"", "DOLLAR_QUOTED", "DOUBLE"),
        row("echo hi # {{x}}\necho {{x}}", "COMMENT", "UNQUOTED"),
        row("echo a#{{x}} {{x}}#", "UNQUOTED", "UNQUOTED"),
        row("echo \\{{x}} \"\\{{x}}\" '\\{{x}}'", "ESCAPED", "ESCAPED", "SINGLE"),
        row("echo ${{x}} \"${{x}}\" '${{x}}'", "AFTER_DOLLAR", "AFTER_DOLLAR", "SINGLE"),
        row("cat <<<{{x}}", "UNQUOTED"),
        row(
            "cat <<EOF\n{{x}} \"{{x}}\" '{{x}}'\nEOF\necho {{x}}",
            "HEREDOC:EOF",
            "HEREDOC:EOF",
            "HEREDOC:EOF",
            "UNQUOTED"),
        row("cat <<'EOF'\n{{x}} $(x)\nEOF\n'{{x}}'", "LITERAL_HEREDOC:EOF", "SINGLE"),
        row("cat <<\"E O\"\n{{x}}\nE O", "LITERAL_HEREDOC:E O"),
        row("cat << \\EOF\n{{x}}\nEOF", "LITERAL_HEREDOC:EOF"),
        row("cat <<-EOF\n\t{{x}}\n\tEOF\necho {{x}}", "HEREDOC:EOF", "UNQUOTED"),
        row(
            "cat <<A; cat <<'B'\n{{x}}\nA\n{{x}}\nB\n{{x}}",
            "HEREDOC:A",
            "LITERAL_HEREDOC:B",
            "UNQUOTED"),
        row("cat <<EOF\n$(echo {{x}}) `{{x}}` ${x}\nEOF", "UNQUOTED", "BACKQUOTED"),
        row("cat <<EOF\nfoo\\\nEOF\n{{x}}\nEOF\n{{x}}", "HEREDOC:EOF", "UNQUOTED"),
        row("cat <<EOF # {{x}}\n{{x}}\nEOF", "COMMENT", "HEREDOC:EOF"),
        row("cat <<EOF; echo \"a\nb\"\n{{x}}\nEOF", "HEREDOC:EOF"),
        row("cat <<{{x}}\nEOF", "DELIMITER"),
        row("case {{x}} in a) echo {{x}};; esac", "UNQUOTED", "UNQUOTED"),
        row("echo \"a\nb\" {{x}}", "UNQUOTED"),
        // where sh and bash read the command differently: every later placeholder is refused
        row("echo {{x}} $(case a in a) echo;; esac) {{x}}", "UNQUOTED", "UNCLEAR"),
        row("echo \"${v:-'a}'}\" {{x}}", "UNCLEAR"),
        row("cat <<EOF\n$(echo\nEOF\n)\nEOF\n{{x}}", "UNCLEAR"),
        row("((a << 2)); echo {{x}}", "UNCLEAR"),
        row("echo $'a\\'b' {{x}}", "UNCLEAR"),
        row("x=$(cat <<EOF)\n{{x}}\nEOF", "UNCLEAR"));
  }

  private static Arguments row(String command, String... places) {
    return Arguments.of(command, List.of(places));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void eachPlaceholderStandsWhereTheShellReadsIt(String command, List<String> expected) {
    List<String> names = new ArrayList<>();
    int[][] spans = Template.spans(command, names);
    List<String> found = new ArrayList<>();
    for (ShellContext.Place p : ShellContext.scan(command, spans[0], spans[1]).places()) {
      found.add(
          p.quoting().name()
              + (p.quoting() == Quoting.HEREDOC || p.quoting() == Quoting.LITERAL_HEREDOC
                  ? ":" + p.delimiter()
                  : ""));
      if (p.quoting() == Quoting.UNCLEAR) {
        assertThat(p.why()).contains("line ");
      }
    }
    assertThat(found).as(command).isEqualTo(expected);
  }

  @Test
  void onlyTheFirstFivePlacesTakeAValueAndTheOthersSayWhatToDo() {
    for (Quoting q : Quoting.values()) {
      assertThat(q.takesValue())
          .isEqualTo(q.ordinal() <= Quoting.LITERAL_HEREDOC.ordinal() && q != Quoting.UNCLEAR);
      assertThat(q.hint() != null).isEqualTo(!q.takesValue() && q != Quoting.UNCLEAR);
    }
  }
}
