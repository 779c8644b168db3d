package dev.dbmigration.operator.model.leader;

import dev.dbmigration.operator.model.validation.KubernetesNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable reason of a {@link LeaderSelection.None}: what was seen, pod by pod. */
final class NoLeaderReport {

  /** Pods listed by name; a big namespace must not make the status message unbounded. */
  static final int MAX_LISTED = 10;

  private NoLeaderReport() {
  }

  static String of(Map<String, String> selector, String roleLabel, List<String> roleValues,
      List<PodFacts> candidates, int terminating) {
    String matching = render(selector) + ignored(terminating);
    if (candidates.isEmpty()) {
      return "no pod matches " + matching;
    }
    String label = KubernetesNames.printable(roleLabel);
    List<String> described = new ArrayList<>();
    for (PodFacts pod : candidates.subList(0, Math.min(MAX_LISTED, candidates.size()))) {
      described.add(describe(pod, label));
    }
    if (candidates.size() > MAX_LISTED) {
      described.add("… and " + (candidates.size() - MAX_LISTED) + " more");
    }
    return "no Running and Ready pod with " + label + " in " + printable(roleValues)
        + " among " + count(candidates.size(), "pod") + " matching " + matching
        + ": " + String.join(", ", described);
  }

  /** E.g. {@code patroni-x-1 (role=master, Pending, not Ready)}. */
  private static String describe(PodFacts pod, String label) {
    StringBuilder out = new StringBuilder(KubernetesNames.printable(pod.name())).append(" (");
    out.append(pod.role() == null ? label + " unset" : label + "=" + KubernetesNames.printable(pod.role()));
    out.append(", ").append(pod.phase() == null ? "phase unknown" : KubernetesNames.printable(pod.phase()));
    out.append(", ").append(pod.ready() ? "Ready" : "not Ready");
    // A missing IP is only news when it is what stops an otherwise fit leader; a Pending pod
    // never has one.
    if (pod.ip() == null && pod.hasLeaderRole() && pod.isRunning() && pod.ready()) {
      out.append(", no IP");
    }
    return out.append(')').toString();
  }

  /** The selector as kubectl's -l takes it, ordered by key. */
  private static String render(Map<String, String> selector) {
    return selector.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(e -> KubernetesNames.printable(e.getKey()) + "=" + KubernetesNames.printable(e.getValue()))
        .collect(Collectors.joining(","));
  }

  private static String ignored(int terminating) {
    return terminating == 0 ? "" : " (" + count(terminating, "terminating pod") + " ignored)";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String printable(List<String> values) {
    return values == null ? "[]" : values.stream().map(KubernetesNames::printable).toList().toString();
  }
}
