package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The database leader a run was pointed at. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LeaderStatus {

  private String pod;
  private String host;

  public LeaderStatus() {
  }

  public LeaderStatus(String pod, String host) {
    this.pod = pod;
    this.host = host;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }
}
