package dev.dbmigration.operator.model.run;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.RevisionStatus;

/**
 * The run a status describes: its Job (null while none was created), the rerun token it answers,
 * the leader it was pointed at, its times and the schema revision read around it (null when this
 * pass read none, and the last known one stands), the engine output kept from a history run and
 * the image it runs (null while none was chosen).
 */
public record Run(String jobName, String rerun, LeaderStatus leader, String startTime,
    String completionTime, RevisionStatus revision, String output, String image) {

  /** No Job exists for the current generation (waiting or invalid). */
  public static Run none(String rerun) {
    return new Run(null, rerun, null, null, null, null, null, null);
  }

  /** The run a stored status describes; its revision carries over through the assembler. */
  public static Run of(DatabaseMigrationStatus status) {
    return new Run(status.getJobName(), status.getRerun(), status.getLeader(),
        status.getStartTime(), status.getCompletionTime(), null, status.getOutput(),
        status.getImage());
  }

  public Run withRevision(RevisionStatus newRevision) {
    return new Run(jobName, rerun, leader, startTime, completionTime, newRevision, output, image);
  }

  public Run withCompletionTime(String time) {
    return new Run(jobName, rerun, leader, startTime, time, revision, output, image);
  }

  public Run withImage(String newImage) {
    return new Run(jobName, rerun, leader, startTime, completionTime, revision, output, newImage);
  }

  public Run withOutput(String newOutput) {
    return new Run(jobName, rerun, leader, startTime, completionTime, revision, newOutput, image);
  }
}
