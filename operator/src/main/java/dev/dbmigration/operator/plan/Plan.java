package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What the reconciler does in one pass; the planner returns exactly one. Two of them ask for a
 * fact only I/O can give, after which the reconciler plans again with that fact observed.
 */
public sealed interface Plan {

  /** Nothing to do but write the status: waiting, invalid, running, or a run that has ended. */
  record Report(Outcome outcome) implements Plan {
  }

  /** Check the database at {@code leader} (writable? which revision?), then plan again. */
  record CheckDatabase(LeaderStatus leader) implements Plan {
  }

  /** Read what the finished history run's pod printed, then plan again. */
  record ReadOutput(Job job) implements Plan {
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
