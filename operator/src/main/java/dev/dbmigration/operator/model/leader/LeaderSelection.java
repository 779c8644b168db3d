package dev.dbmigration.operator.model.leader;

import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Which pod, if any, is the database cluster's writable leader. */
public sealed interface LeaderSelection
    permits LeaderSelection.Found, LeaderSelection.None, LeaderSelection.Several {

  /** Exactly one leader; {@code host} is its pod IP. */
  record Found(String pod, String host) implements LeaderSelection {
  }

  /** No leader; {@code reason} says, for people, which pods were seen and why none qualified. */
  record None(String reason) implements LeaderSelection {
  }

  /** More than one pod claims to lead (split brain or a stale label): pod names, sorted. */
  record Several(List<String> pods) implements LeaderSelection {
    public Several {
      pods = List.copyOf(pods);
    }
  }

  /**
   * The leader among {@code pods}: a pod that matches the selector, is not being deleted, carries
   * one of the role values, is Running and Ready, and has an IP.
   */
  static LeaderSelection select(LeaderDiscovery discovery, Collection<Pod> pods) {
    if (discovery == null) {
      return new None("no leader discovery is configured");
    }
    Map<String, String> selector = discovery.getSelector();
    if (selector == null || selector.isEmpty()) {
      return new None("leader.selector is empty; it would match every pod of the namespace");
    }
    String roleLabel = discovery.effectiveRoleLabel();
    List<String> roleValues = discovery.effectiveRoleValues();
    List<Pod> matching = pods == null ? List.of() : pods.stream()
        .filter(Objects::nonNull)
        .filter(pod -> matches(selector, pod.getMetadata() == null ? null : pod.getMetadata().getLabels()))
        .toList();
    List<PodFacts> candidates = matching.stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .map(pod -> PodFacts.of(pod, roleLabel, roleValues))
        .sorted(Comparator.comparing(PodFacts::name))
        .toList();
    List<PodFacts> leaders = candidates.stream().filter(PodFacts::isLeader).toList();

    if (leaders.size() == 1) {
      return new Found(leaders.get(0).name(), leaders.get(0).ip());
    }
    if (leaders.size() > 1) {
      return new Several(leaders.stream().map(PodFacts::name).toList());
    }
    return new None(NoLeaderReport.of(selector, roleLabel, roleValues, candidates,
        matching.size() - candidates.size()));
  }

  /**
   * Whether {@code labels} hold every entry of {@code selector}. Unlike a Kubernetes label
   * selector, an empty selector matches nothing: "every pod" is never the database.
   */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty() || labels == null) {
      return false;
    }
    for (Map.Entry<String, String> entry : selector.entrySet()) {
      // Null keys or values cannot be asked of every map (Map.of throws), nor are they labels.
      if (entry.getKey() == null || entry.getValue() == null
          || !entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
