package dev.dbmigration.operator.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubernetesNamesTest {

  @Test
  void quoteKeepsAtMost64CharactersAndWholeSurrogatePairs() {
    assertThat(KubernetesNames.quote("a".repeat(100))).isEqualTo("\"" + "a".repeat(64) + "…\"");
    assertThat(KubernetesNames.quote("a".repeat(64))).isEqualTo("\"" + "a".repeat(64) + "\"");
    assertThat(KubernetesNames.quote("a".repeat(63) + "😀😀")).isEqualTo("\"" + "a".repeat(63) + "…\"");
    assertThat(KubernetesNames.quote("😀\ud800x")).isEqualTo("\"😀?x\"");
    assertThat(KubernetesNames.quote(null)).isEqualTo("null");
  }

  @Test
  void quoteMasksWhatCouldForgeALineOrReadOtherThanItIs() {
    String hostile = "x\n\r\u0000\u001b[31m\u007f\u0085\u202e\u2028\u2066" + "A".repeat(10_000);

    assertThat(KubernetesNames.quote(hostile)).startsWith("\"x????[31m?????AAAA").endsWith("…\"")
        .hasSizeLessThan(70);
  }

  @Test
  void labelValuesFollowKubernetes() {
    assertThat(KubernetesNames.isLabelValue("")).isTrue();
    assertThat(KubernetesNames.isLabelValue("a_b.c-D")).isTrue();
    assertThat(KubernetesNames.isLabelValue("a".repeat(63))).isTrue();
    assertThat(KubernetesNames.isLabelValue("a".repeat(64))).isFalse();
    assertThat(KubernetesNames.isLabelValue("a.")).isFalse();
    assertThat(KubernetesNames.isLabelValue("a b")).isFalse();
    assertThat(KubernetesNames.isLabelValue(null)).isFalse();
  }

  @Test
  void aLongHostileNameIsRefusedBeforeTheRegexSeesIt() {
    String deep = "a-".repeat(200_000) + "!";

    assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(1),
        () -> KubernetesNames.isLabelValue(deep))).isFalse();
  }
}
