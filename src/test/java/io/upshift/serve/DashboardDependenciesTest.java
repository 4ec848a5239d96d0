package io.upshift.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard depends on the journal, the report and the engine, never the reverse; and its web
 * server and metrics libraries are named in its package only, so that the other commands never load
 * them (only {@code cli/ServeOption} starts it).
 */
class DashboardDependenciesTest {
  static final Path MAIN = Path.of("src/main/java/io/upshift");

  @Test
  void onlyServeOptionNamesTheDashboard() throws IOException {
    List<String> offenders =
        sources()
            .filter(p -> !p.startsWith(MAIN.resolve("serve")))
            .filter(p -> !p.equals(MAIN.resolve("cli/ServeOption.java")))
            .filter(p -> contains(p, "io.upshift.serve"))
            .map(Path::toString)
            .toList();
    assertThat(offenders).isEmpty();
  }

  @Test
  void theDashboardDoesNotDependOnTheCommandLine() throws IOException {
    List<String> offenders =
        sources()
            .filter(p -> p.startsWith(MAIN.resolve("serve")))
            .filter(p -> contains(p, "io.upshift.cli"))
            .map(Path::toString)
            .toList();
    assertThat(offenders).isEmpty();
  }

  @Test
  void webLibrariesStayInTheDashboard() throws IOException {
    List<String> offenders =
        sources()
            .filter(p -> !p.startsWith(MAIN.resolve("serve")))
            .filter(p -> contains(p, "io.javalin") || contains(p, "io.micrometer"))
            .map(Path::toString)
            .toList();
    assertThat(offenders).isEmpty();
  }

  private static Stream<Path> sources() throws IOException {
    return Files.walk(MAIN).filter(p -> p.toString().endsWith(".java"));
  }

  private static boolean contains(Path p, String text) {
    try {
      return Files.readString(p).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
