package io.upshift.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never crashes the loader or the verifier: seeded random mutations of real plans and
 * inventories (lines dropped, doubled, re-indented; YAML punctuation and odd values inserted) must
 * give positioned problems or a verdict, never an exception. Bounded in count for CI; set
 * UPSHIFT_FUZZ_ITERATIONS for a longer run.
 */
class MutationFuzzTest {
  static final String[] TOKENS = {
    ":",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "- ",
    "&a ",
    "*a",
    "'",
    "\"",
    "|",
    ">",
    "#",
    "\t",
    "  ",
    "%",
    "@",
    "`",
    "!!binary ",
    "<<: *a",
    "~",
    "null",
    "-1",
    "99999999999999999999",
    "0",
    "1e400",
    "NaN",
    "2m..1m",
    "[0001:9999999]",
    "{{host}}",
    "role=",
    "|",
    ",",
    "!=",
    "\\0",
    "é",
    "\u202e"
  };

  @TempDir Path dir;

  private static int iterations(int normal) {
    String env = System.getenv("UPSHIFT_FUZZ_ITERATIONS");
    return env == null ? normal : Integer.parseInt(env);
  }

  static String mutate(String text, SplittableRandom r) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits && !lines.isEmpty(); e++) {
      int i = r.nextInt(lines.size());
      String line = lines.get(i);
      switch (r.nextInt(7)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, line);
        case 2 -> lines.set(i, "  " + line);
        case 3 -> lines.set(i, line.length() > 2 ? line.substring(2) : "");
        case 4 -> {
          int at = line.isEmpty() ? 0 : r.nextInt(line.length() + 1);
          lines.set(
              i, line.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + line.substring(at));
        }
        case 5 ->
            lines.set(
                i,
                line.replaceAll(
                    "[0-9]+", Matcher.quoteReplacement(TOKENS[r.nextInt(TOKENS.length)])));
        default -> {
          int j = r.nextInt(lines.size());
          lines.set(i, lines.get(j));
          lines.set(j, line);
        }
      }
    }
    return String.join("\n", lines);
  }

  private void fuzz(Path example, int count, long seed, boolean verify) throws IOException {
    String plan = Files.readString(example.resolve("plan.yaml"));
    String inventory = Files.readString(example.resolve("inventory.yaml"));
    SplittableRandom r = new SplittableRandom(seed);
    int clean = 0;
    for (int n = 0; n < count; n++) {
      boolean plans = r.nextBoolean();
      String p = plans ? mutate(plan, r) : plan;
      String i = plans ? inventory : mutate(inventory, r);
      Path d = TestPlans.write(dir.resolve("case"), p, i);
      Problems problems = new Problems();
      try {
        Plan loaded = PlanLoader.load(d, problems);
        for (Problem problem : problems.sorted()) {
          assertThat(problem.position().file())
              .as("problem without a file: %s", problem)
              .isNotNull();
          assertThat(problem.message()).isNotBlank();
        }
        if (!problems.hasErrors() && verify) {
          clean++;
          Verifier.verify(loaded, false);
        }
      } catch (RuntimeException | StackOverflowError e) {
        Files.writeString(dir.resolve("crash-plan.yaml"), p);
        Files.writeString(dir.resolve("crash-inventory.yaml"), i);
        throw new AssertionError(
            "case "
                + n
                + " (seed "
                + seed
                + ") crashed: "
                + e
                + "\n--- plan ---\n"
                + p
                + "\n--- inventory ---\n"
                + i,
            e);
      }
    }
    if (verify) {
      assertThat(clean).as("some mutants are still valid plans and get verified").isPositive();
    }
  }

  @Test
  void mutatedSmallPlansNeverCrash() throws IOException {
    Path small = dir.resolve("small");
    String planText = Corpus.SMALL_PLAN;
    TestPlans.write(small, planText, Corpus.SMALL_INVENTORY);
    fuzz(small, iterations(1500), 11, true);
  }

  @Test
  void mutatedCernPlansNeverCrash() throws IOException {
    fuzz(Path.of("examples/cern-havana"), iterations(150), 23, false);
  }
}
