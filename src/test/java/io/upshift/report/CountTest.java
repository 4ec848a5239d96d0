package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CountTest {
  @Test
  void groupsDigitsByThreeWithCommas() {
    assertThat(Count.of(0)).isEqualTo("0");
    assertThat(Count.of(999)).isEqualTo("999");
    assertThat(Count.of(1000)).isEqualTo("1,000");
    assertThat(Count.of(2164)).isEqualTo("2,164");
    assertThat(Count.of(100_000)).isEqualTo("100,000");
    assertThat(Count.of(1_234_567)).isEqualTo("1,234,567");
    assertThat(Count.of(-999)).isEqualTo("-999");
    assertThat(Count.of(-1234)).isEqualTo("-1,234");
  }

  @Test
  void agreesWithTheEnglishFormatOverTheWholeRange() {
    long[] samples = {Long.MIN_VALUE, Long.MAX_VALUE, -1_000_000, 12_345, 99_999_999_999L};
    for (long n : samples) {
      assertThat(Count.of(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long n = random.nextLong() >> random.nextInt(64);
      assertThat(Count.of(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
  }
}
