package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.journal.JdbcJournal;
import io.upshift.journal.Journal;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code upshift export}: the journal's lines as they are stored, and the checks as JUnit XML. */
class ExportTest {
  @TempDir Path dir;

  @Test
  void jsonLinesAreTheStoredLinesAndJunitCountsTheChecks() throws Exception {
    Path plan = LocalRuns.write(dir);
    Path journal = dir.resolve("journal.db");
    Path runXml = dir.resolve("run.xml");
    Cli.Result run =
        Cli.run(
            "run",
            plan.toString(),
            "--target",
            "local",
            "--auto-approve",
            "--progress",
            "none",
            "--journal",
            journal.toString(),
            "--junit",
            runXml.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(1);

    Path jsonl = dir.resolve("events.jsonl");
    Path xml = dir.resolve("checks.xml");
    Cli.Result export =
        Cli.run(
            "export",
            "last",
            "--journal",
            journal.toString(),
            "--jsonl",
            jsonl.toString(),
            "--junit",
            xml.toString());
    assertThat(export.code()).as(export.err()).isZero();
    List<String> stored = new ArrayList<>();
    String id;
    try (Journal j = JdbcJournal.sqlite(journal)) {
      id = j.run("last").orElseThrow().id();
      j.read(id, 1, s -> stored.add(s.body()));
    }
    assertThat(Files.readAllLines(jsonl)).isEqualTo(stored).hasSizeGreaterThan(50);
    assertThat(String.join("\n", stored)).doesNotContain(LocalRuns.SECRET);

    Cli.Result stdout = Cli.run("export", id, "--journal", journal.toString(), "--jsonl");
    assertThat(stdout.code()).isZero();
    assertThat(stdout.out().lines().toList()).isEqualTo(stored);

    Document doc = parse(Files.readString(xml));
    Element root = doc.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(root.getAttribute("tests")).isEqualTo("2");
    assertThat(root.getAttribute("failures")).isEqualTo("2");
    NodeList suites = doc.getElementsByTagName("testsuite");
    assertThat(suites.getLength()).isEqualTo(2);
    assertThat(((Element) suites.item(0)).getAttribute("name")).isEqualTo("One");
    NodeList cases = doc.getElementsByTagName("testcase");
    assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("start app");
    NodeList failures = doc.getElementsByTagName("failure");
    assertThat(failures.getLength()).isEqualTo(2);
    assertThat(failures.item(0).getTextContent()).contains("h2");
    assertThat(((Element) failures.item(0)).getAttribute("message"))
        .isEqualTo("1 of 6 host(s) failed the check");
    assertThat(failures.item(1).getTextContent()).contains("k1");
    assertThat(Files.readString(runXml)).isEqualTo(Files.readString(xml));
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
