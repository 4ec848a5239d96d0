package io.upshift.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What YAML's plain scalars become: text, except the spellings of null (and merge keys). */
class YamlSourceTest {
  @Test
  void onlyTheSpellingsOfNullAreNull() {
    Map<String, Boolean> isNull =
        scalars(
            """
        empty:
        tilde: ~
        lower: null
        title: Null
        upper: NULL
        quoted: "null"
        single: 'null'
        mixed: nUll
        word: nova-api
        longer: nullable
        number: 0
        yes: true
        """);
    Map<String, Boolean> want = new LinkedHashMap<>();
    for (String key : new String[] {"empty", "tilde", "lower", "title", "upper"}) {
      want.put(key, true);
    }
    for (String key :
        new String[] {"quoted", "single", "mixed", "word", "longer", "number", "yes"}) {
      want.put(key, false);
    }
    assertThat(isNull).containsExactlyEntriesOf(want);
  }

  @Test
  void aMergeKeyIsRefusedButTheTextOfOneIsNot() {
    Problems problems = new Problems();
    YamlSource.parse(
        Path.of("t.yaml"), new StringReader("a: {x: 1}\nb:\n  <<: {y: 2}\n"), problems);
    assertThat(problems.sorted()).anyMatch(p -> p.id().equals("yaml-merge"));
    Problems quoted = new Problems();
    YamlSource.parse(Path.of("t.yaml"), new StringReader("b:\n  \"<<\": 2\n"), quoted);
    assertThat(quoted.sorted()).isEmpty();
  }

  private static Map<String, Boolean> scalars(String yaml) {
    Problems problems = new Problems();
    Node root = YamlSource.parse(Path.of("t.yaml"), new StringReader(yaml), problems).orElseThrow();
    assertThat(problems.sorted()).isEmpty();
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Node.Entry e : ((Node.Mapping) root).entries()) {
      out.put(e.key().value(), ((Node.Scalar) e.value()).isNull());
    }
    return out;
  }
}
