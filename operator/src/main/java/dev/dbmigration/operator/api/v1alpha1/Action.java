package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which way the migration moves the schema, or {@code history}: run the engine's own history
 * view (changes nothing) and keep its output in the status.
 */
public enum Action {
  @JsonProperty("upgrade")
  UPGRADE,
  @JsonProperty("downgrade")
  DOWNGRADE,
  @JsonProperty("history")
  HISTORY;

  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The constant the resource spells {@code value}. */
  public static Action of(String value) {
    for (Action candidate : values()) {
      if (candidate.value().equals(value)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no Action " + value);
  }
}
