package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The migration tool inside the application's image. */
public enum Engine {
  @JsonProperty("alembic")
  ALEMBIC,
  @JsonProperty("flyway")
  FLYWAY,
  @JsonProperty("liquibase")
  LIQUIBASE,
  /** The user's own argument list (spec.command), with the same connection variables. */
  @JsonProperty("command")
  COMMAND;

  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The constant the resource spells {@code value}. */
  public static Engine of(String value) {
    for (Engine candidate : values()) {
      if (candidate.value().equals(value)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no Engine " + value);
  }
}
