package io.upshift.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.source.Position;
import io.upshift.source.Problems;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {
  private static final Host KVM =
      host("hv-gva1-0001", "gva-1", List.of("compute"), Map.of("hypervisor", "kvm"));
  private static final Host CTL =
      host("cellctl-bud1-01", "bud-1", List.of("cell-controller", "controller"), Map.of());

  private static Host host(
      String name, String cell, List<String> roles, Map<String, String> labels) {
    return new Host(
        0,
        name,
        cell.startsWith("gva") ? "geneva" : "budapest",
        cell,
        roles,
        "linux",
        "sysv",
        "yum",
        labels,
        Map.of("nova-compute", "grizzly"),
        Map.of(),
        Map.of(),
        name,
        22,
        "root",
        null,
        Position.none(null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "role=compute; true; false",
        "role=controller; false; true",
        "role=compute|controller; true; true",
        "cell=gva-*; true; false",
        "cell!=gva-1; false; true",
        "site=geneva,role=compute; true; false",
        "site=geneva,role=controller; false; false",
        "host=hv-gva1-000?; true; false",
        "hypervisor=kvm; true; false",
        "component=nova-compute; true; true",
        "all; true; true",
      })
  void matches(String text, boolean kvm, boolean ctl) {
    Problems problems = new Problems();
    Selector s = Selector.parse(text, Position.none(null), problems);
    assertThat(problems.hasErrors()).isFalse();
    assertThat(s.matches(KVM)).isEqualTo(kvm);
    assertThat(s.matches(CTL)).isEqualTo(ctl);
  }

  @Test
  void termsArePositionedByColumn() {
    Problems problems = new Problems();
    Selector s = Selector.parse("role=compute, rol=x", new Position(null, 3, 9), problems);
    s.checkKeys(Set.copyOf(Inventory.BUILT_IN_KEYS), problems);
    assertThat(problems.sorted())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.position().column()).isEqualTo(23);
              assertThat(p.hint()).contains("role");
            });
  }

  /** The inventory's index answers exactly as matching host by host would. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "role=compute",
        "role=compute|controller",
        "cell=gva-*",
        "cell!=gva-1",
        "cell!=gva-*|bud-1",
        "site=geneva,role=compute",
        "host=hv-gva1-000?",
        "hypervisor=kvm",
        "hypervisor!=kvm",
        "component=nova-compute",
        "database=nova",
        "all",
        "role=nothing",
      })
  void indexAgreesWithMatching(String text) {
    Problems problems = new Problems();
    Inventory inventory =
        InventoryLoader.load(Path.of("examples/cern-havana/inventory.yaml"), problems);
    Selector s = Selector.parse(text, Position.none(null), problems);
    Selector twice =
        Selector.anyOf(List.of(s, Selector.parse("cell=top", Position.none(null), problems)), null);
    assertThat(problems.hasErrors()).isFalse();
    for (Selector sel : List.of(s, twice)) {
      BitSet expected = new BitSet();
      inventory.hosts().stream().filter(sel::matches).forEach(h -> expected.set(h.index()));
      assertThat(inventory.select(sel)).as(sel.text()).isEqualTo(expected);
    }
  }
}
