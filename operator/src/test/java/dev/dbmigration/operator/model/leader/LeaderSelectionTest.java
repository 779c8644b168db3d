package dev.dbmigration.operator.model.leader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.api.v1alpha1.LeaderPreset;
import dev.dbmigration.operator.model.leader.LeaderSelection.Found;
import dev.dbmigration.operator.model.leader.LeaderSelection.None;
import dev.dbmigration.operator.model.leader.LeaderSelection.Several;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeaderSelectionTest {

  private static final String CLUSTER = "patroni-x";
  private static final Map<String, String> SELECTOR = Map.of("cluster-name", CLUSTER);

  @ParameterizedTest
  @ValueSource(strings = {"master", "primary"})
  void patroniLeaderIsFoundByEitherRoleValue(String role) {
    List<Pod> pods = List.of(
        running("patroni-x-0", "role", "replica", "10.0.0.1"),
        running("patroni-x-1", "role", role, "10.0.0.2"),
        running("patroni-x-2", "role", "replica", "10.0.0.3"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods))
        .isEqualTo(new Found("patroni-x-1", "10.0.0.2"));
  }

  @Test
  void nullPresetMeansPatroni() {
    LeaderDiscovery discovery = discovery(null);

    assertThat(LeaderSelection.select(discovery, List.of(running("patroni-x-0", "role", "master", "10.0.0.1"))))
        .isEqualTo(new Found("patroni-x-0", "10.0.0.1"));
  }

  @Test
  void spiloLeaderCarriesSpiloRole() {
    List<Pod> pods = List.of(
        running("patroni-x-0", "spilo-role", "replica", "10.0.0.1"),
        running("patroni-x-1", "spilo-role", "master", "10.0.0.2"),
        // the Patroni label means nothing to the Spilo preset
        running("patroni-x-2", "role", "master", "10.0.0.3"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.SPILO), pods))
        .isEqualTo(new Found("patroni-x-1", "10.0.0.2"));
  }

  @Test
  void crunchyLeaderCarriesThePrefixedRole() {
    String label = "postgres-operator.crunchydata.com/role";
    List<Pod> pods = List.of(
        running("hippo-0", label, "replica", "10.0.0.1"),
        running("hippo-1", label, "master", "10.0.0.2"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.CRUNCHY), pods))
        .isEqualTo(new Found("hippo-1", "10.0.0.2"));
  }

  @Test
  void cloudNativePgLeaderIsPrimaryOnly() {
    String label = "cnpg.io/instanceRole";
    List<Pod> pods = List.of(
        running("cluster-1", label, "replica", "10.0.0.1"),
        running("cluster-2", label, "primary", "10.0.0.2"),
        // CloudNativePG never says master; a stray label must not count
        running("cluster-3", label, "master", "10.0.0.3"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.CLOUDNATIVEPG), pods))
        .isEqualTo(new Found("cluster-2", "10.0.0.2"));
  }

  @Test
  void explicitRoleLabelAndValuesOverrideThePreset() {
    LeaderDiscovery discovery = discovery(LeaderPreset.PATRONI);
    discovery.setRoleLabel("example.com/db-role");
    discovery.setRoleValues(List.of("writer"));
    List<Pod> pods = List.of(
        running("patroni-x-0", "role", "master", "10.0.0.1"),
        running("patroni-x-1", "example.com/db-role", "writer", "10.0.0.2"));

    assertThat(LeaderSelection.select(discovery, pods)).isEqualTo(new Found("patroni-x-1", "10.0.0.2"));
  }

  @Test
  void replicasOnlyGiveNoneNamingEachPod() {
    List<Pod> pods = List.of(
        running("patroni-x-1", "role", "replica", "10.0.0.2"),
        pod("patroni-x-0", Map.of("cluster-name", CLUSTER, "role", "replica"), "Running", true, "10.0.0.1"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods)).isEqualTo(new None(
        "no Running and Ready pod with role in [master, primary] among 2 pods matching cluster-name=patroni-x: "
            + "patroni-x-0 (role=replica, Running, Ready), patroni-x-1 (role=replica, Running, Ready)"));
  }

  @Test
  void leaderThatIsNotReadyIsNotTheLeader() {
    List<Pod> pods = List.of(
        running("patroni-x-0", "role", "replica", "10.0.0.1"),
        pod("patroni-x-1", labels("role", "master"), "Running", false, "10.0.0.2"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods)).isEqualTo(new None(
        "no Running and Ready pod with role in [master, primary] among 2 pods matching cluster-name=patroni-x: "
            + "patroni-x-0 (role=replica, Running, Ready), patroni-x-1 (role=master, Running, not Ready)"));
  }

  @Test
  void pendingLeaderIsNotTheLeader() {
    List<Pod> pods = List.of(
        running("patroni-x-0", "role", "replica", "10.0.0.1"),
        pod("patroni-x-1", labels("role", "master"), "Pending", false, null));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods)).isEqualTo(new None(
        "no Running and Ready pod with role in [master, primary] among 2 pods matching cluster-name=patroni-x: "
            + "patroni-x-0 (role=replica, Running, Ready), patroni-x-1 (role=master, Pending, not Ready)"));
  }

  @Test
  void leaderWithoutIpIsNotTheLeader() {
    List<Pod> pods = List.of(
        pod("patroni-x-0", labels("role", "master"), "Running", true, " "),
        pod("patroni-x-1", labels("role", "master"), "Running", true, null));

    LeaderSelection selection = LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods);

    assertThat(selection).isEqualTo(new None(
        "no Running and Ready pod with role in [master, primary] among 2 pods matching cluster-name=patroni-x: "
            + "patroni-x-0 (role=master, Running, Ready, no IP), patroni-x-1 (role=master, Running, Ready, no IP)"));
  }

  @Test
  void terminatingPodIsIgnored() {
    Pod leaving = new PodBuilder(running("patroni-x-0", "role", "master", "10.0.0.1"))
        .editMetadata().withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build();
    Pod replica = running("patroni-x-1", "role", "replica", "10.0.0.2");

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), List.of(leaving)))
        .isEqualTo(new None("no pod matches cluster-name=patroni-x (1 terminating pod ignored)"));
    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), List.of(leaving, replica)))
        .isInstanceOfSatisfying(None.class, none -> assertThat(none.reason())
            .contains("among 1 pod matching cluster-name=patroni-x (1 terminating pod ignored): patroni-x-1 (")
            .doesNotContain("patroni-x-0"));
  }

  @Test
  void twoLeadersAreSeveralNamedInOrder() {
    List<Pod> pods = List.of(
        running("patroni-x-2", "role", "primary", "10.0.0.3"),
        running("patroni-x-0", "role", "replica", "10.0.0.1"),
        running("patroni-x-1", "role", "master", "10.0.0.2"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods))
        .isEqualTo(new Several(List.of("patroni-x-1", "patroni-x-2")));
  }

  @Test
  void podsOfAnotherClusterAreIgnored() {
    List<Pod> pods = List.of(
        pod("patroni-y-0", Map.of("cluster-name", "patroni-y", "role", "master"), "Running", true, "10.0.1.1"),
        pod("lonely", Map.of("role", "master"), "Running", true, "10.0.1.2"),
        running("patroni-x-0", "role", "master", "10.0.0.1"));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods))
        .isEqualTo(new Found("patroni-x-0", "10.0.0.1"));
    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods.subList(0, 2)))
        .isEqualTo(new None("no pod matches cluster-name=patroni-x"));
  }

  @Test
  void everySelectorEntryMustMatchAndIsRenderedByKey() {
    LeaderDiscovery discovery = discovery(LeaderPreset.PATRONI);
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put("team", "wps");
    selector.put("cluster-name", CLUSTER);
    discovery.setSelector(selector);

    assertThat(LeaderSelection.select(discovery, List.of(running("patroni-x-0", "role", "master", "10.0.0.1"))))
        .isEqualTo(new None("no pod matches cluster-name=patroni-x,team=wps"));
  }

  @Test
  void nullLabelsStatusAndMetadataAreTolerated() {
    Pod bare = new Pod();
    Pod noLabels = new PodBuilder().withNewMetadata().withName("no-labels").endMetadata().build();
    Pod noStatus = new PodBuilder().withNewMetadata().withName("patroni-x-0")
        .withLabels(labels("role", "master")).endMetadata().build();
    Pod nullCondition = new PodBuilder(noStatus).editMetadata().withName("patroni-x-1").endMetadata()
        .withNewStatus().withConditions(Arrays.asList(null, null)).endStatus().build();
    List<Pod> pods = new ArrayList<>(Arrays.asList(bare, null, noLabels, noStatus, nullCondition));

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods)).isEqualTo(new None(
        "no Running and Ready pod with role in [master, primary] among 2 pods matching cluster-name=patroni-x: "
            + "patroni-x-0 (role=master, phase unknown, not Ready), "
            + "patroni-x-1 (role=master, phase unknown, not Ready)"));
    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), null))
        .isEqualTo(new None("no pod matches cluster-name=patroni-x"));
    assertThat(LeaderSelection.select(null, pods)).isInstanceOf(None.class);
  }

  @Test
  void missingRoleLabelIsSaid() {
    Pod unlabelled = pod("patroni-x-0", Map.of("cluster-name", CLUSTER), "Running", true, "10.0.0.1");

    assertThat(LeaderSelection.select(discovery(LeaderPreset.PATRONI), List.of(unlabelled)))
        .isEqualTo(new None("no Running and Ready pod with role in [master, primary] among 1 pod matching "
            + "cluster-name=patroni-x: patroni-x-0 (role unset, Running, Ready)"));
  }

  @Test
  void longListsAreCapped() {
    List<Pod> pods = IntStream.range(0, 13)
        .mapToObj(i -> running("patroni-x-%02d".formatted(i), "role", "replica", "10.0.0." + i))
        .toList();

    LeaderSelection selection = LeaderSelection.select(discovery(LeaderPreset.PATRONI), pods);

    assertThat(selection).isInstanceOfSatisfying(None.class, none -> assertThat(none.reason())
        .contains("among 13 pods", "patroni-x-09 (", ", … and 3 more")
        .doesNotContain("patroni-x-10"));
  }

  @Test
  void emptySelectorMatchesNothing() {
    LeaderDiscovery discovery = discovery(LeaderPreset.PATRONI);
    discovery.setSelector(Map.of());
    List<Pod> pods = List.of(running("patroni-x-0", "role", "master", "10.0.0.1"));

    assertThat(LeaderSelection.select(discovery, pods)).isInstanceOf(None.class);
    assertThat(LeaderSelection.matches(Map.of(), Map.of("a", "b"))).isFalse();
    assertThat(LeaderSelection.matches(null, Map.of("a", "b"))).isFalse();
  }

  @Test
  void matchesNeedsEveryEntry() {
    Map<String, String> withNullKey = new HashMap<>();
    withNullKey.put(null, "x");

    assertThat(LeaderSelection.matches(Map.of("a", "1"), Map.of("a", "1", "b", "2"))).isTrue();
    assertThat(LeaderSelection.matches(Map.of("a", "1", "b", "2"), Map.of("a", "1"))).isFalse();
    assertThat(LeaderSelection.matches(Map.of("a", "1"), Map.of("a", "2"))).isFalse();
    assertThat(LeaderSelection.matches(Map.of("a", "1"), null)).isFalse();
    assertThat(LeaderSelection.matches(withNullKey, Map.of("a", "1"))).isFalse();
  }

  @Test
  void severalKeepsItsOwnCopy() {
    List<String> names = new ArrayList<>(List.of("a"));
    Several several = new Several(names);
    names.add("b");

    assertThat(several.pods()).containsExactly("a");
  }

  private static LeaderDiscovery discovery(LeaderPreset preset) {
    LeaderDiscovery discovery = new LeaderDiscovery();
    discovery.setSelector(SELECTOR);
    discovery.setPreset(preset);
    return discovery;
  }

  private static Map<String, String> labels(String roleLabel, String role) {
    return Map.of("cluster-name", CLUSTER, roleLabel, role);
  }

  private static Pod running(String name, String roleLabel, String role, String ip) {
    return pod(name, labels(roleLabel, role), "Running", true, ip);
  }

  private static Pod pod(String name, Map<String, String> labels, String phase, boolean ready, String ip) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("pr-1234").withLabels(labels).endMetadata()
        .withNewStatus()
          .withPhase(phase)
          .withPodIP(ip)
          .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
          .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build();
  }
}
