package dev.dbmigration.operator.model.leader;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What leader selection needs to know of one candidate pod, read null-safely. */
record PodFacts(String name, String role, boolean hasLeaderRole, String phase, boolean ready, String ip) {

  static PodFacts of(Pod pod, String roleLabel, List<String> roleValues) {
    String name = pod.getMetadata() == null || pod.getMetadata().getName() == null
        ? "" : pod.getMetadata().getName();
    Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
    // Map.of-style maps throw on get(null), so a null label name must not reach them.
    String role = labels == null || roleLabel == null ? null : labels.get(roleLabel);
    // List.of-style lists throw on contains(null): test the role first.
    boolean hasLeaderRole = role != null && roleValues != null && roleValues.contains(role);
    PodStatus status = pod.getStatus();
    String phase = status == null ? null : status.getPhase();
    boolean ready = status != null && status.getConditions() != null
        && status.getConditions().stream()
            .filter(Objects::nonNull)
            .anyMatch(PodFacts::isReadyTrue);
    String ip = status == null || status.getPodIP() == null || status.getPodIP().isBlank()
        ? null : status.getPodIP();
    return new PodFacts(name, role, hasLeaderRole, phase, ready, ip);
  }

  boolean isRunning() {
    return "Running".equals(phase);
  }

  boolean isLeader() {
    return hasLeaderRole && isRunning() && ready && ip != null;
  }

  private static boolean isReadyTrue(PodCondition condition) {
    return "Ready".equals(condition.getType()) && "True".equals(condition.getStatus());
  }
}
