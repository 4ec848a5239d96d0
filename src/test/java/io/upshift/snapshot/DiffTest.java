package io.upshift.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiffTest {
  @Test
  void equalTextsHaveNoDiff() {
    assertThat(Diff.unified("a\nb\n", "a\nb\n", "x", "y")).isEmpty();
  }

  @Test
  void oneChangedRowShowsAsOneHunkWithContext() {
    StringBuilder before = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      before.append("row ").append(i).append('\n');
    }
    String after =
        before.toString().replace("row 10\n", "row 10 changed\n").replace("row 17\n", "");
    String diff = Diff.unified(before.toString(), after, "rows (before)", "rows (now)");
    assertThat(diff)
        .isEqualTo(
            """
            --- rows (before)
            +++ rows (now)
            @@ -7,14 +7,13 @@
             row 7
             row 8
             row 9
            -row 10
            +row 10 changed
             row 11
             row 12
             row 13
             row 14
             row 15
             row 16
            -row 17
             row 18
             row 19
             row 20
            """);
    assertThat(Diff.counts(diff)).containsExactly(2, 1);
  }

  @Test
  void farApartChangesMakeSeparateHunks() {
    StringBuilder before = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      before.append(i).append('\n');
    }
    String after = "0\n" + before + "41\n";
    String diff = Diff.unified(before.toString(), after, "a", "b");
    assertThat(diff).contains("@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -38,3 +39,4 @@\n");
    assertThat(diff).contains(" 40\n+41\n");
    assertThat(diff.split("@@ ").length - 1).isEqualTo(2);
  }

  @Test
  void emptyBeforeOrAfter() {
    assertThat(Diff.unified("", "a\n", "x", "y")).endsWith("+a\n");
    assertThat(Diff.unified("a\nb\n", "", "x", "y")).endsWith("-a\n-b\n");
  }

  @Test
  void jsonIsComparedWhateverTheOrderOfKeysAndSpacing() {
    String a = Json.normalise("{\"b\": [1, 2], \"a\": {\"y\": true, \"x\": null}}");
    String b = Json.normalise("{\"a\":{\"x\":null,\"y\":true},\"b\":[1,2]}");
    assertThat(a).isEqualTo(b).contains("\"a\": {\n    \"x\": null,\n");
    assertThat(Json.normalise("not json {")).isEqualTo("not json {");
    assertThat(Json.normalise("[\"a\\\"b\", -1.5e3]")).isEqualTo("[\n  \"a\\\"b\",\n  -1.5e3\n]\n");
  }
}
