package io.upshift.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.source.Position;
import io.upshift.source.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's index (built range by range, as hosts of one range share their settings) picks
 * the hosts that a selector matches one by one, on ranges, single hosts and hosts that differ from
 * their neighbours by one setting.
 */
class InventoryIndexTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        geneva:
          cells:
            gva-1:
              hosts:
                - name: hv-gva1-[01:05]
                  roles: [compute]
                  components: [nova-compute, hypervisor]
                  labels: {hypervisor: kvm, rack: r1}
                - name: hv-gva1-06
                  roles: [compute]
                  components: [nova-compute, hypervisor]
                  labels: {hypervisor: kvm, rack: r2}
                - name: hv-gva1-07
                  roles: [compute]
                  components: [nova-compute, hypervisor]
                  labels: {hypervisor: kvm, rack: r2}
                - name: ctl-gva1-[1:2]
                  roles: [controller, cell-controller]
                  components: [nova-conductor]
                  databases: [nova]
            gva-2:
              hosts:
                - name: hv-gva2-[01:03]
                  roles: [compute]
                  components: [nova-compute, hypervisor]
                  labels: {hypervisor: hyperv, rack: r1}
                  os: windows
                  service-manager: windows
                  package-manager: msi
        budapest:
          cells:
            bud-1:
              hosts:
                - name: hv-bud1-[1:4]
                  roles: [compute]
                  components: [nova-compute, hypervisor]
                  labels: {hypervisor: kvm, rack: r1}
      """;

  @Test
  void selectorsPickWhatTheyMatchHostByHost() throws IOException {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, INVENTORY);
    Problems problems = new Problems();
    Inventory inventory = InventoryLoader.load(file, problems);
    assertThat(problems.hasErrors()).as("%s", problems.sorted()).isFalse();
    assertThat(inventory.size()).isEqualTo(16);
    for (String text :
        List.of(
            "role=compute",
            "role=controller|cell-controller",
            "cell=gva-*",
            "cell!=gva-1",
            "site=budapest",
            "rack=r2",
            "rack=r1,hypervisor=kvm",
            "rack!=r1",
            "hypervisor=hyperv",
            "os=windows",
            "package-manager=yum",
            "component=nova-conductor",
            "database=nova",
            "host=hv-gva1-0?",
            "host=hv-bud1-3",
            "host=ctl-gva1-2|hv-gva2-01",
            "all")) {
      Selector selector = Selector.parse(text, Position.none(file), problems);
      BitSet expected = new BitSet();
      for (Host h : inventory.hosts()) {
        if (selector.matches(h)) {
          expected.set(h.index());
        }
      }
      assertThat(inventory.select(selector)).as(text).isEqualTo(expected);
      assertThat(expected.isEmpty()).as("%s picks some hosts", text).isFalse();
    }
    assertThat(inventory.having("component", List.of("nova-conductor", "hypervisor")).cardinality())
        .isEqualTo(16);
    assertThat(inventory.valuesOf("rack")).containsExactly("r1", "r2");
    assertThat(inventory.valuesOf("cell")).containsExactly("gva-1", "gva-2", "bud-1");
  }
}
