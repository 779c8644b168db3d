package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator last saw and did for this resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseMigrationStatus {

  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, WaitingForDatabase, AwaitingApproval, Running, Succeeded, Failed or Invalid.")
  private Phase phase;

  @JsonPropertyDescription("Standard conditions: Ready, Reconciling, Stalled; DatabaseReachable, SchemaDrift.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The leader pod the run was started against.")
  private LeaderStatus leader;

  @JsonPropertyDescription("Name of the Job of the current run.")
  private String jobName;

  @JsonPropertyDescription("Value of the rerun annotation the current run answers.")
  private String rerun;

  @JsonPropertyDescription("Schema revision before the run and now.")
  private RevisionStatus revision;

  @JsonPropertyDescription("When the current run's Job was created.")
  private String startTime;

  @JsonPropertyDescription("When the current run's Job finished.")
  private String completionTime;

  @JsonPropertyDescription("Image the current run uses (resolved from imageFrom when set).")
  private String image;

  @JsonPropertyDescription("Digest of what the current run answers (spec without suspend, rerun "
      + "token, image): pausing and resuming alone starts no new run.")
  private String runIdentity;

  @JsonPropertyDescription("The last finished runs, oldest first.")
  private List<RunRecord> history = new ArrayList<>();

  @JsonPropertyDescription("Human-readable detail of the phase; never holds a secret.")
  private String message;

  @JsonPropertyDescription("Output of the last history run (the engine's own history view), "
      + "passwords masked, its last lines only.")
  private String output;

  @JsonPropertyDescription("The plan of the current run (spec.plan): its state, digest, range and "
      + "the ConfigMap that keeps its text.")
  private PlanStatus plan;

  @JsonPropertyDescription("The drift check after the current run (spec.driftCheck).")
  private DriftStatus drift;

  @JsonPropertyDescription("Attempts of the current run whose Job failed because the database "
      + "leader changed while it ran (cause LeaderChanged), oldest first; absent when none did.")
  private List<AttemptStatus> attempts;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public LeaderStatus getLeader() {
    return leader;
  }

  public void setLeader(LeaderStatus leader) {
    this.leader = leader;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public String getRerun() {
    return rerun;
  }

  public void setRerun(String rerun) {
    this.rerun = rerun;
  }

  public RevisionStatus getRevision() {
    return revision;
  }

  public void setRevision(RevisionStatus revision) {
    this.revision = revision;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getRunIdentity() {
    return runIdentity;
  }

  public void setRunIdentity(String runIdentity) {
    this.runIdentity = runIdentity;
  }

  public List<RunRecord> getHistory() {
    return history;
  }

  public void setHistory(List<RunRecord> history) {
    this.history = history;
  }

  public String getOutput() {
    return output;
  }

  public void setOutput(String output) {
    this.output = output;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public PlanStatus getPlan() {
    return plan;
  }

  public void setPlan(PlanStatus plan) {
    this.plan = plan;
  }

  public DriftStatus getDrift() {
    return drift;
  }

  public void setDrift(DriftStatus drift) {
    this.drift = drift;
  }

  public List<AttemptStatus> getAttempts() {
    return attempts;
  }

  public void setAttempts(List<AttemptStatus> attempts) {
    this.attempts = attempts;
  }
}
