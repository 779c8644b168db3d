package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Schema revision read from the engine's version table; several heads are comma-separated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionStatus {

  private String before;
  private String current;

  public RevisionStatus() {
  }

  public RevisionStatus(String before, String current) {
    this.before = before;
    this.current = current;
  }

  public String getBefore() {
    return before;
  }

  public void setBefore(String before) {
    this.before = before;
  }

  public String getCurrent() {
    return current;
  }

  public void setCurrent(String current) {
    this.current = current;
  }
}
