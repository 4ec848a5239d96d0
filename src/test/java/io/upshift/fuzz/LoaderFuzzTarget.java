package io.upshift.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.Node;
import io.upshift.source.PlainYaml;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import io.upshift.source.YamlSource;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The fuzz target behind {@link LoaderFuzzTest} and {@code bench/fuzz}: the fuzzer's bytes choose
 * edits to a valid plan and inventory, and the result goes through the loader and the verifier.
 */
public final class LoaderFuzzTarget {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("upshift-fuzz");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private LoaderFuzzTarget() {}

  /**
   * One input: any plan and inventory give positioned problems or a verdict, never an exception.
   */
  public static void fuzzerTestOneInput(FuzzedDataProvider data) throws IOException {
    String plan = Corpus.SMALL_PLAN;
    String inventory = Corpus.SMALL_INVENTORY;
    int edits = data.consumeInt(0, 6);
    for (int e = 0; e < edits; e++) {
      if (data.consumeBoolean()) {
        plan = edit(plan, data);
      } else {
        inventory = edit(inventory, data);
      }
    }
    // as bytes: the fuzzer's strings may hold a lone surrogate, which writeString refuses to encode
    Files.write(DIR.resolve("plan.yaml"), plan.getBytes(StandardCharsets.UTF_8));
    Files.write(DIR.resolve("inventory.yaml"), inventory.getBytes(StandardCharsets.UTF_8));
    plainAgrees(DIR.resolve("plan.yaml"), plan);
    plainAgrees(DIR.resolve("inventory.yaml"), inventory);
    Problems problems = new Problems();
    Plan loaded = PlanLoader.load(DIR, problems);
    for (Problem p : problems.sorted()) {
      if (p.position().file() == null || p.message().isBlank()) {
        throw new AssertionError("a problem without a place or a message: " + p);
      }
    }
    if (!problems.hasErrors() && loaded != null && loaded.inventory().size() <= 500) {
      Verifier.verify(loaded, false);
    }
  }

  /** The fast reader of plain YAML gives SnakeYAML's tree, or leaves the text to it. */
  private static void plainAgrees(Path file, String text) {
    Node plain = PlainYaml.parse(file, text);
    if (plain == null) {
      return;
    }
    Problems problems = new Problems();
    Node snake = YamlSource.parse(file, new StringReader(text), problems).orElse(null);
    if (!problems.sorted().isEmpty() || !plain.equals(snake)) {
      throw new AssertionError(
          "the plain reader read what SnakeYAML reads otherwise: "
              + problems.sorted()
              + "\n"
              + text);
    }
  }

  private static String edit(String text, FuzzedDataProvider data) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int i = data.consumeInt(0, lines.size() - 1);
    String line = lines.get(i);
    switch (data.consumeInt(0, 6)) {
      case 0 -> lines.remove(i);
      case 1 -> lines.add(i, line);
      case 2 -> lines.set(i, "  " + line);
      case 3 -> lines.set(i, line.length() > 2 ? line.substring(2) : "");
      case 4 -> {
        int at = data.consumeInt(0, line.length());
        String token =
            data.consumeBoolean()
                ? data.pickValue(MutationFuzzTest.TOKENS)
                : data.consumeString(12);
        lines.set(i, line.substring(0, at) + token + line.substring(at));
      }
      case 5 ->
          lines.set(i, line.replaceAll("[0-9]+", Matcher.quoteReplacement(data.consumeString(6))));
      default -> {
        int j = data.consumeInt(0, lines.size() - 1);
        lines.set(i, lines.get(j));
        lines.set(j, line);
      }
    }
    return String.join("\n", lines);
  }
}
