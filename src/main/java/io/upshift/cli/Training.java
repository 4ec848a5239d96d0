package io.upshift.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The workload the launcher trains Java's start-up cache on, once per build (JDK 25 and later:
 * {@code -XX:AOTCacheOutput}): the commands run most often, on a plan, one after the other in one
 * JVM, their output dropped. The cache keeps the classes these commands load and the call sites
 * they link, so a command left out here starts as if there were no cache for its own code. Each
 * class kept is also loaded at every start, used or not: options that pull in a large library of
 * their own ({@code --json} and Jackson's 500 classes) are left out. Usage: {@code java
 * -XX:AOTCacheOutput=FILE -cp upshift.jar io.upshift.cli.Training PLAN}.
 */
public final class Training {
  private Training() {}

  public static void main(String[] args) {
    String plan = args[0];
    List<String[]> commands =
        List.of(
            new String[] {"validate", plan},
            new String[] {"verify", plan},
            new String[] {"plan", plan},
            new String[] {"run", plan, "--progress", "none"});
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream dropped = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(dropped);
    System.setErr(dropped);
    for (String[] command : commands) {
      // a plan that does not verify still trains the code that says so
      Main.launch(command);
    }
    System.setOut(out);
    System.setErr(err);
    System.exit(0);
  }
}
