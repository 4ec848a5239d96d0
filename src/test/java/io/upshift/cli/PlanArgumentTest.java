package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upshift.plan.Plan;
import io.upshift.source.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan read ahead while the command line is parsed is the plan the command asks for. */
class PlanArgumentTest {
  private final PrintStream warnings = new PrintStream(new ByteArrayOutputStream(), true);

  @Test
  void aPlanReadAheadIsTheOneLoaded() {
    assertThat(PlanArgument.startReadingAhead(new String[] {"verify", "examples/cern-havana"}))
        .isTrue();
    Plan plan = PlanArgument.load(Path.of("examples/cern-havana"), warnings);
    assertThat(plan.inventory().size()).isEqualTo(2164);
  }

  @Test
  void aWrongGuessIsIgnored(@TempDir Path dir) throws Exception {
    Path other = dir.resolve("plan.yaml");
    Files.writeString(other, "name: x\n"); // invalid: no inventory, no stages
    assertThat(PlanArgument.startReadingAhead(new String[] {"run", other.toString()})).isTrue();
    Plan plan = PlanArgument.load(Path.of("examples/cern-havana"), warnings);
    assertThat(plan.name()).contains("CERN");
  }

  @Test
  void anInvalidPlanReadAheadFailsAsItWouldHaveUnread(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("plan.yaml");
    Files.writeString(bad, "name: [unclosed\n");
    InvalidInputException unread =
        Assertions.catchThrowableOfType(
            InvalidInputException.class, () -> PlanArgument.load(bad, warnings));
    PlanArgument.startReadingAhead(new String[] {"validate", bad.toString()});
    assertThatThrownBy(() -> PlanArgument.load(bad, warnings))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).problems().sorted().toString())
                    .isEqualTo(unread.problems().sorted().toString()));
  }

  @Test
  void onlyCommandsWhosePlanComesFirstReadAhead() {
    assertThat(PlanArgument.startReadingAhead(new String[] {"verify", "--json", "x"})).isFalse();
    assertThat(PlanArgument.startReadingAhead(new String[] {"exec", "x"})).isFalse();
    assertThat(PlanArgument.startReadingAhead(new String[] {"verify"})).isFalse();
  }
}
