package io.upshift.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostRangeTest {
  @Test
  void expandsKeepingTheZeroPaddingOfTheFirstBound() {
    assertThat(HostRange.expand("hv-gva1-[0001:0210]"))
        .hasSize(210)
        .startsWith("hv-gva1-0001", "hv-gva1-0002")
        .endsWith("hv-gva1-0210");
    assertThat(HostRange.expand("n[8:11]")).containsExactly("n8", "n9", "n10", "n11");
    assertThat(HostRange.expand("plain")).containsExactly("plain");
  }

  @Test
  void severalRangesMultiply() {
    assertThat(HostRange.expand("r[1:2]-n[01:03].cern.ch"))
        .containsExactly(
            "r1-n01.cern.ch",
            "r1-n02.cern.ch",
            "r1-n03.cern.ch",
            "r2-n01.cern.ch",
            "r2-n02.cern.ch",
            "r2-n03.cern.ch");
  }

  @Test
  void malformedOrHugeRangesAreUserErrors() {
    assertThatThrownBy(() -> HostRange.expand("a[3:1]")).hasMessageContaining("counts down");
    assertThatThrownBy(() -> HostRange.expand("a[x:1]")).hasMessageContaining("[FIRST:LAST]");
    assertThatThrownBy(() -> HostRange.expand("a[1:999999999]")).hasMessageContaining("more than");
  }
}
