package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.validation.SecretView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one decision about a DatabaseMigration looks at, gathered from the informers'
 * caches, plus what the reconciler found out when the planner asked (the database check, a
 * history run's output). Values only: the planner never calls anything.
 *
 * @param resource the resource: spec, metadata, and the status written last
 * @param followedTemplate the pod template of the workload {@code spec.imageFrom} names; null
 *     when there is none (or the resource names its image)
 * @param jobs the Jobs this resource owns
 * @param pods the namespace's pods that matter: the database's and those of the Jobs
 * @param secret the credentials Secret as decisions may see it; null when it does not exist.
 *     From the cache: key names only, no database name; the database name comes with the Secret
 *     read for the database check (see {@link #withSecret}), before any Job is planned
 * @param probe the database check made in this pass; null until the planner asks for one
 * @param scrub values to mask in any text the engine printed (the password), read with the probe
 * @param output what a finished history run printed; null until the planner asks for it
 * @param planOutput what the finished plan Job printed; null until the planner asks for it
 * @param keptPlan the plan kept in this pass (its ConfigMap written); null until one is
 */
public record Observation(DatabaseMigration resource, PodTemplateSpec followedTemplate,
    List<Job> jobs, List<Pod> pods, SecretView secret, Probe probe, List<String> scrub,
    String output, Instant now, String planOutput, PlanStatus keptPlan) {

  public Observation {
    jobs = List.copyOf(jobs);
    pods = List.copyOf(pods);
    scrub = List.copyOf(scrub);
  }

  public Observation(DatabaseMigration resource, PodTemplateSpec followedTemplate,
      List<Job> jobs, List<Pod> pods, SecretView secret, Probe probe, List<String> scrub,
      String output, Instant now) {
    this(resource, followedTemplate, jobs, pods, secret, probe, scrub, output, now, null, null);
  }

  public static Observation of(DatabaseMigration resource, PodTemplateSpec followedTemplate,
      List<Job> jobs, List<Pod> pods, SecretView secret, Instant now) {
    return new Observation(resource, followedTemplate, jobs, pods, secret, null, List.of(), null,
        now);
  }

  public Observation withProbe(Probe checked, List<String> secretValues) {
    return new Observation(resource, followedTemplate, jobs, pods, secret, checked, secretValues,
        output, now, planOutput, keptPlan);
  }

  /** The Secret as it was read at the moment of use, instead of as the cache had it. */
  public Observation withSecret(SecretView read) {
    return new Observation(resource, followedTemplate, jobs, pods, read, probe, scrub, output,
        now);
  }

  public Observation withOutput(String printed) {
    return new Observation(resource, followedTemplate, jobs, pods, secret, probe, scrub, printed,
        now, planOutput, keptPlan);
  }

  public Observation withPlanOutput(String printed) {
    return new Observation(resource, followedTemplate, jobs, pods, secret, probe, scrub, output,
        now, printed, keptPlan);
  }

  public Observation withKeptPlan(PlanStatus kept) {
    return new Observation(resource, followedTemplate, jobs, pods, secret, probe, scrub, output,
        now, planOutput, kept);
  }

  Optional<Job> job(String name) {
    return jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
  }

  List<Pod> podsOf(Job job) {
    String name = job.getMetadata().getName();
    return pods.stream().filter(p -> p.getMetadata().getLabels() != null
        && name.equals(p.getMetadata().getLabels().get(JobPodOutput.JOB_NAME_LABEL))).toList();
  }
}
