package dev.dbmigration.operator.model.run;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.model.job.JobNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bounded list of finished runs in status.history. Bounded because the status lives in etcd
 * with the resource and a PR environment rebuilt a hundred times must not grow without end.
 */
public final class RunHistory {

  public static final int MAX_ENTRIES = 10;

  private RunHistory() {
  }

  /** The history entry of a run that ended in this pass. */
  public static RunRecord entry(DatabaseMigration dbm, Run run, Phase result, String from,
      String to) {
    RunRecord record = new RunRecord();
    record.setGeneration(RunIdentity.generationOf(dbm));
    record.setAction(dbm.getSpec().actionOrDefault().value());
    record.setTarget(dbm.getSpec().targetOrDefault());
    record.setImage(run.image());
    record.setFrom(from);
    record.setTo(to);
    record.setResult(result.name());
    record.setJobName(run.jobName());
    record.setFinishedAt(run.completionTime());
    return record;
  }

  /**
   * The previous history with {@code finished} appended, oldest entries dropped past the bound.
   * A run already recorded (a retried status write) is not recorded twice.
   */
  public static List<RunRecord> append(List<RunRecord> previous, RunRecord finished) {
    List<RunRecord> history = new ArrayList<>(previous == null ? List.of() : previous);
    if (finished != null && history.stream()
        .noneMatch(r -> Objects.equals(r.getJobName(), finished.getJobName()))) {
      history.add(finished);
    }
    return List.copyOf(history.subList(Math.max(0, history.size() - MAX_ENTRIES), history.size()));
  }
}
