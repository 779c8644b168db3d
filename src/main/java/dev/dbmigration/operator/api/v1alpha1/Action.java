package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which way the migration moves the schema. */
public enum Action {
  @JsonProperty("upgrade")
  UPGRADE,
  @JsonProperty("downgrade")
  DOWNGRADE;

  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
