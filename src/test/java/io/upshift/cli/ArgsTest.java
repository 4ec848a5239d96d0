package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upshift.journal.Control;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The command lines declared in code reach the commands' fields as picocli parses them. */
class ArgsTest {
  private static void parse(CommandSpec spec, String... args) {
    CommandLine cli = new CommandLine(spec, Args.FACTORY);
    cli.registerConverter(Path.class, Path::of);
    cli.parseArgs(args);
  }

  @Test
  void defaultsApplyWhenNothingIsGiven() {
    RunCommand run = new RunCommand();
    parse(run.spec(), "plan.yaml");
    assertThat(run.plan).isEqualTo(Path.of("plan.yaml"));
    assertThat(run.target).isEqualTo(RunCommand.TargetName.sim);
    assertThat(run.maxProcesses).isEqualTo(64);
    assertThat(run.progress).isEqualTo(ProgressPrinter.Mode.auto);
    assertThat(run.seed).isNull();
    assertThat(run.faults).isEmpty();
    assertThat(run.unsafe).isFalse();
    assertThat(run.ssh.identities).isEmpty();
  }

  @Test
  void givenValuesAreConvertedAndRepeatedOnesCollectedInOrder() {
    RunCommand run = new RunCommand();
    parse(
        run.spec(),
        "--target=local",
        "--seed",
        "42",
        "--fault",
        "command=0.5",
        "--fault",
        "upgrade=1@host=hv-1",
        "--identity",
        "/k/a",
        "--identity=/k/b",
        "--unsafe",
        "--max-processes",
        "3",
        "--progress",
        "none",
        "--journal",
        "j.db",
        "p");
    assertThat(run.target).isEqualTo(RunCommand.TargetName.local);
    assertThat(run.seed).isEqualTo(42L);
    assertThat(run.faults).containsExactly("command=0.5", "upgrade=1@host=hv-1");
    assertThat(run.ssh.identities).containsExactly(Path.of("/k/a"), Path.of("/k/b"));
    assertThat(run.unsafe).isTrue();
    assertThat(run.maxProcesses).isEqualTo(3);
    assertThat(run.progress).isEqualTo(ProgressPrinter.Mode.none);
    assertThat(run.journalOptions.journal).isEqualTo("j.db");
    assertThat(run.plan).isEqualTo(Path.of("p"));
  }

  @Test
  void execTakesItsCommandWordsAfterTheSelector() {
    ExecCommand exec = new ExecCommand();
    parse(exec.spec(), "-f", "7", "role=compute", "--", "echo", "a b", "--json");
    assertThat(exec.selector).isEqualTo("role=compute");
    assertThat(exec.command).isEqualTo(List.of("echo", "a b", "--json"));
    assertThat(exec.concurrency).isEqualTo(7);
    assertThat(exec.json).isFalse();
    assertThat(exec.timeout).isEqualTo("60s");
    assertThat(exec.inventory).isEqualTo(Path.of("inventory.yaml"));
  }

  @Test
  void anOptionalValueFallsBackWhenLeftOut() {
    ExportCommand export = new ExportCommand();
    parse(export.spec(), "last", "--jsonl");
    assertThat(export.jsonl).isEqualTo("-");
    assertThat(export.recorded.run).isEqualTo("last");
    ExportCommand toFile = new ExportCommand();
    parse(toFile.spec(), "--jsonl", "out.jsonl", "r1");
    assertThat(toFile.jsonl).isEqualTo("out.jsonl");
  }

  @Test
  void wrongValuesAreUsageErrors() {
    assertThatThrownBy(() -> parse(new RunCommand().spec(), "--target", "moon", "p"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--target");
    assertThatThrownBy(() -> parse(new RunsCommand().spec(), "--limit", "x"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'x' is not an int");
    assertThatThrownBy(() -> parse(new VerifyCommand().spec()))
        .isInstanceOf(CommandLine.MissingParameterException.class)
        .hasMessageContaining("PLAN");
  }

  @Test
  void theControlCommandsShareTheirOptions() {
    ControlCommand.Abort abort = new ControlCommand.Abort();
    parse(abort.spec(), "r1", "--undo", "--by", "ana", "--comment", "rollback");
    assertThat(abort.kind()).isEqualTo(Control.Kind.ABORT_UNDO);
    assertThat(abort.by).isEqualTo("ana");
    assertThat(abort.comment).isEqualTo("rollback");
    ControlCommand.Pause pause = new ControlCommand.Pause();
    parse(pause.spec(), "r2");
    assertThat(pause.comment).isEmpty();
    assertThat(pause.run).isEqualTo("r2");
  }
}
