package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What the reconciler does in one pass; the planner returns exactly one. Three of them ask for a
 * fact only I/O can give, or write what a later decision stands on (a kept plan), after which
 * the reconciler plans again with that observed.
 */
public sealed interface Plan {

  /** Nothing to do but write the status: waiting, invalid, running, or a run that has ended. */
  record Report(Outcome outcome) implements Plan {
  }

  /** Check the database at {@code leader} (writable? which revision?), then plan again. */
  record CheckDatabase(LeaderStatus leader) implements Plan {
  }

  /** Read what a finished history run's or plan Job's pod printed, then plan again. */
  record ReadOutput(Job job) implements Plan {
  }

  /**
   * Keep the run's plan: write {@code configMap} (its text; null when there is none to keep,
   * e.g. a plan refused for several heads), then plan again with {@code plan} observed.
   */
  record KeepPlan(ConfigMap configMap, PlanStatus plan) implements Plan {
  }

  /**
   * Create a Job around the run that does not touch the schema (its plan, its drift check): no
   * database guard is needed. The status then says what the Job does.
   */
  record Launch(Job job, Outcome outcome) implements Plan {
  }

  /**
   * Create the run's Job, unless another run holds the same database ({@code databaseKey}); the
   * status then says the run has started.
   */
  record Start(Job job, String databaseKey, Outcome outcome) implements Plan {
  }

  /** End a run whose pod cannot start: remove its Job (and pod), and report the run failed. */
  record Stop(Job job, Outcome outcome) implements Plan {
  }
}
