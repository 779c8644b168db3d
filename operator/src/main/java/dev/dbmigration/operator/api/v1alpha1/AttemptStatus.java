package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An earlier attempt of the current run, ended by something the operator retries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptStatus {

  @JsonPropertyDescription("The attempt's Job.")
  private String job;

  @JsonPropertyDescription("The leader the attempt ran against.")
  private LeaderStatus leader;

  @JsonPropertyDescription("Why it ended: LeaderChanged (the leader moved while the Job ran).")
  private String cause;

  @JsonPropertyDescription("What the operator saw, e.g. the old and the new leader.")
  private String message;

  @JsonPropertyDescription("When the operator saw the attempt end.")
  private String finishedAt;

  public AttemptStatus() {
  }

  public AttemptStatus(String job, LeaderStatus leader, String cause, String message,
      String finishedAt) {
    this.job = job;
    this.leader = leader;
    this.cause = cause;
    this.message = message;
    this.finishedAt = finishedAt;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public LeaderStatus getLeader() {
    return leader;
  }

  public void setLeader(LeaderStatus leader) {
    this.leader = leader;
  }

  public String getCause() {
    return cause;
  }

  public void setCause(String cause) {
    this.cause = cause;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }
}
