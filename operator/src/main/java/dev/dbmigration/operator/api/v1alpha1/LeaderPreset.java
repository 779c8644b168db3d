package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Where each PostgreSQL operator puts the leader's role label. Patroni switched its value from
 * {@code master} to {@code primary} in 4.0, so both count.
 */
public enum LeaderPreset {
  @JsonProperty("patroni")
  PATRONI("role", List.of("master", "primary")),
  @JsonProperty("spilo")
  SPILO("spilo-role", List.of("master", "primary")),
  @JsonProperty("crunchy")
  CRUNCHY("postgres-operator.crunchydata.com/role", List.of("master", "primary")),
  @JsonProperty("cloudnativepg")
  CLOUDNATIVEPG("cnpg.io/instanceRole", List.of("primary"));

  private final String roleLabel;
  private final List<String> roleValues;

  LeaderPreset(String roleLabel, List<String> roleValues) {
    this.roleLabel = roleLabel;
    this.roleValues = roleValues;
  }

  public String roleLabel() {
    return roleLabel;
  }

  public List<String> roleValues() {
    return roleValues;
  }

  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The preset the resource spells {@code value}. */
  public static LeaderPreset of(String value) {
    for (LeaderPreset candidate : values()) {
      if (candidate.value().equals(value)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no LeaderPreset " + value);
  }
}
