package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The drift check after the current run (spec.driftCheck), as the SchemaDrift condition says. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftStatus {

  @JsonPropertyDescription("The Job that ran the engine's check.")
  private String jobName;

  @JsonPropertyDescription("Drift, NoDrift or Unknown (the check could not run; see the condition).")
  private String result;

  public DriftStatus() {
  }

  public DriftStatus(String jobName, String result) {
    this.jobName = jobName;
    this.result = result;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public String getResult() {
    return result;
  }

  public void setResult(String result) {
    this.result = result;
  }
}
