package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator's informers keep of the cluster's objects: only the fields a decision reads,
 * rebuilt as small new objects (so nothing else of the delivered object stays reachable), with
 * shared empties ({@link SharedEmpties}). Pure functions; the informers' item stores apply them
 * as objects enter their caches.
 *
 * <p>A cached Secret has no data at all: its key names, and which of them are empty, are kept in
 * two annotations ({@link #KEYS}, {@link #EMPTY_KEYS}), so that no code can mistake it for
 * credentials. The values are read from the API server when they are used. No cached form but a
 * Job's keeps the resource version: only JOSDK, which manages the Jobs' informer, compares them.
 */
final class CachedForms {

  static final String KEYS = "dbmigration.dev/cached-keys";
  static final String EMPTY_KEYS = "dbmigration.dev/cached-empty-keys";

  private CachedForms() {
  }

  /** Name, key names and empty keys; no value. */
  static Secret secret(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Set<String> empty = new TreeSet<>();
    data.forEach((key, value) -> {
      if (value == null || value.isEmpty()) {
        empty.add(key);
      }
    });
    ObjectMeta meta = identity(secret.getMetadata()).build();
    // Most Secrets of a kind share their key names: kept once.
    meta.setAnnotations(Map.of(KEYS, intern(String.join(",", new TreeSet<>(data.keySet()))),
        EMPTY_KEYS, intern(String.join(",", empty))));
    return SharedEmpties.in(new SecretBuilder().withMetadata(meta).build());
  }

  /** The key names a cached Secret had, and those whose value was empty. */
  static Set<String> keys(Secret cached, String annotation) {
    Map<String, String> annotations = cached.getMetadata().getAnnotations();
    String joined = annotations == null ? null : annotations.get(annotation);
    return joined == null || joined.isEmpty() ? Set.of() : Set.of(joined.split(","));
  }

  /**
   * What leader selection reads (labels, phase, readiness, IP, deletion); of a Job's pod also
   * what its start problems, its termination message and the mapping back to its Job read
   * (creation time, owner, scheduling, container states). No spec, no annotation.
   */
  static Pod pod(Pod pod) {
    ObjectMeta source = pod.getMetadata();
    boolean jobPod = source.getLabels() != null
        && source.getLabels().containsKey(JobPodOutput.JOB_NAME_LABEL);
    ObjectMetaBuilder meta = identity(source).withLabels(labels(source.getLabels()))
        .withDeletionTimestamp(source.getDeletionTimestamp());
    if (jobPod) {
      meta.withCreationTimestamp(source.getCreationTimestamp())
          .withOwnerReferences(owners(source.getOwnerReferences()));
    }
    return SharedEmpties.in(new PodBuilder().withMetadata(meta.build())
        .withStatus(podStatus(pod.getStatus(), jobPod)).build());
  }

  /** The pod template's containers, names and images: what {@code imageFrom} follows. */
  static Deployment deployment(Deployment deployment) {
    return SharedEmpties.in(new DeploymentBuilder()
        .withMetadata(identity(deployment.getMetadata()).build())
        .withNewSpec().withTemplate(images(deployment.getSpec() == null ? null
            : deployment.getSpec().getTemplate())).endSpec().build());
  }

  static StatefulSet statefulSet(StatefulSet statefulSet) {
    return SharedEmpties.in(new StatefulSetBuilder()
        .withMetadata(identity(statefulSet.getMetadata()).build())
        .withNewSpec().withTemplate(images(statefulSet.getSpec() == null ? null
            : statefulSet.getSpec().getTemplate())).endSpec().build());
  }

  /**
   * The operator's own Job as its decisions read it: identity and version, labels, annotations
   * (run, database, leader), owner, times, status, and its containers' images; not the pod
   * template's environment, resources or security settings, which the operator wrote itself.
   */
  static Job job(Job job) {
    ObjectMeta source = job.getMetadata();
    ObjectMeta meta = new ObjectMetaBuilder().withName(source.getName())
        .withNamespace(intern(source.getNamespace())).withUid(source.getUid())
        .withResourceVersion(source.getResourceVersion())
        .withGeneration(source.getGeneration())
        .withLabels(labels(source.getLabels()))
        .withAnnotations(labels(source.getAnnotations()))
        .withOwnerReferences(source.getOwnerReferences())
        .withCreationTimestamp(source.getCreationTimestamp())
        .withDeletionTimestamp(source.getDeletionTimestamp())
        .build();
    return SharedEmpties.in(new JobBuilder().withMetadata(meta)
        .withNewSpec().withTemplate(images(job.getSpec() == null ? null
            : job.getSpec().getTemplate())).endSpec()
        .withStatus(jobStatus(job.getStatus())).build());
  }

  /** When it ended, and the conditions that say how (Complete, Failed), with their reason. */
  private static JobStatus jobStatus(JobStatus status) {
    if (status == null) {
      return null;
    }
    return new JobStatusBuilder().withCompletionTime(status.getCompletionTime())
        .withConditions(status.getConditions() == null ? null : status.getConditions().stream()
            .filter(c -> c != null && ("Complete".equals(c.getType())
                || "Failed".equals(c.getType())))
            .map(c -> new JobConditionBuilder().withType(intern(c.getType()))
                .withStatus(intern(c.getStatus())).withReason(intern(c.getReason()))
                .withMessage(c.getMessage()).withLastTransitionTime(c.getLastTransitionTime())
                .build())
            .toList())
        .build();
  }

  /**
   * A DatabaseMigration keeps all it has (decisions read its spec and status); the conditions'
   * type, status and reason, the same in most resources, are kept once, and its empty lists
   * and maps are the shared empties. In place: the informer hands this object to nobody who
   * changes it (JOSDK reconciles a copy).
   */
  static DatabaseMigration migration(DatabaseMigration dbm) {
    SharedEmpties.in(dbm.getMetadata());
    if (dbm.getStatus() != null && dbm.getStatus().getConditions() != null) {
      for (Condition c : dbm.getStatus().getConditions()) {
        SharedEmpties.in(c);
        c.setType(intern(c.getType()));
        c.setStatus(intern(c.getStatus()));
        c.setReason(intern(c.getReason()));
      }
    }
    return dbm;
  }

  private static ObjectMetaBuilder identity(ObjectMeta meta) {
    return new ObjectMetaBuilder().withName(meta.getName())
        .withNamespace(intern(meta.getNamespace()));
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return null;
    }
    // Label keys and most values repeat across pods (role=master, app names): kept once.
    Map<String, String> kept = new HashMap<>(labels.size() * 4 / 3 + 1);
    labels.forEach((k, v) -> kept.put(intern(k), intern(v)));
    return kept;
  }

  /** Kind and name: what maps a Job's pod to its Job. */
  private static List<OwnerReference> owners(List<OwnerReference> owners) {
    if (owners == null || owners.isEmpty()) {
      return null;
    }
    return owners.stream().map(o -> new OwnerReferenceBuilder().withKind(intern(o.getKind()))
        .withName(o.getName()).build()).toList();
  }

  private static PodStatus podStatus(PodStatus status, boolean jobPod) {
    if (status == null) {
      return null;
    }
    PodStatusBuilder kept = new PodStatusBuilder().withPhase(intern(status.getPhase()))
        .withPodIP(status.getPodIP())
        .withConditions(conditions(status.getConditions(), jobPod));
    if (jobPod) {
      kept.withContainerStatuses(containerStatuses(status.getContainerStatuses()))
          .withInitContainerStatuses(containerStatuses(status.getInitContainerStatuses()));
    }
    return kept.build();
  }

  /** Ready (leader selection); for a Job's pod also PodScheduled (why it does not start). */
  private static List<PodCondition> conditions(List<PodCondition> conditions, boolean jobPod) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> c != null && ("Ready".equals(c.getType())
            || jobPod && "PodScheduled".equals(c.getType())))
        .map(c -> new PodConditionBuilder().withType(intern(c.getType()))
            .withStatus(intern(c.getStatus())).withReason(c.getReason())
            .withMessage(c.getMessage()).build())
        .toList();
  }

  private static List<ContainerStatus> containerStatuses(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return null;
    }
    return statuses.stream().filter(c -> c != null)
        .map(c -> new ContainerStatusBuilder().withName(intern(c.getName()))
            .withState(state(c.getState())).build())
        .toList();
  }

  /** Why a container waits (it cannot start), and what it said when it ended. */
  private static ContainerState state(ContainerState state) {
    if (state == null || (state.getWaiting() == null && state.getTerminated() == null)) {
      return null;
    }
    ContainerStateBuilder kept = new ContainerStateBuilder();
    if (state.getWaiting() != null) {
      kept.withNewWaiting().withReason(intern(state.getWaiting().getReason()))
          .withMessage(state.getWaiting().getMessage()).endWaiting();
    }
    if (state.getTerminated() != null) {
      kept.withNewTerminated().withReason(intern(state.getTerminated().getReason()))
          .withExitCode(state.getTerminated().getExitCode())
          .withMessage(state.getTerminated().getMessage()).endTerminated();
    }
    return kept.build();
  }

  private static PodTemplateSpec images(PodTemplateSpec template) {
    if (template == null || template.getSpec() == null) {
      return null;
    }
    return new PodTemplateSpecBuilder().withNewSpec().withContainers(
            template.getSpec().getContainers() == null ? List.of()
                : template.getSpec().getContainers().stream()
                    .map(c -> new ContainerBuilder().withName(c.getName())
                        .withImage(c.getImage()).build())
                    .toList())
        .endSpec().build();
  }

  private static String intern(String value) {
    return value == null ? null : value.intern();
  }
}
