package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** How to recognise the database cluster's leader pod among the pods of the namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "size(self.selector) > 0",
    message = "leader.selector needs at least one label, e.g. cluster-name: my-cluster")
public class LeaderDiscovery {

  public static final String DEFAULT_PRESET = "patroni";

  @Required
  @JsonPropertyDescription("Labels every pod of the database cluster carries, e.g. cluster-name.")
  private Map<String, String> selector;

  @Default(DEFAULT_PRESET)
  @JsonPropertyDescription("Which operator labels the leader: patroni (role=master|primary), "
      + "spilo (spilo-role), crunchy (postgres-operator.crunchydata.com/role), "
      + "cloudnativepg (cnpg.io/instanceRole=primary).")
  private LeaderPreset preset = LeaderPreset.of(DEFAULT_PRESET);

  @Size(min = 1, max = 317)
  @JsonPropertyDescription("Label that carries the role; overrides the preset's.")
  private String roleLabel;

  @Size(min = 1, max = 8)
  @JsonPropertyDescription("Values of roleLabel that mark the leader; override the preset's.")
  private List<String> roleValues;

  public Map<String, String> getSelector() {
    return selector;
  }

  public void setSelector(Map<String, String> selector) {
    this.selector = selector;
  }

  public LeaderPreset getPreset() {
    return preset;
  }

  public void setPreset(LeaderPreset preset) {
    this.preset = preset;
  }

  public String getRoleLabel() {
    return roleLabel;
  }

  public void setRoleLabel(String roleLabel) {
    this.roleLabel = roleLabel;
  }

  public List<String> getRoleValues() {
    return roleValues;
  }

  public void setRoleValues(List<String> roleValues) {
    this.roleValues = roleValues;
  }

  /** The role label in force: the explicit one, else the preset's. */
  public String effectiveRoleLabel() {
    return roleLabel != null ? roleLabel : presetOrDefault().roleLabel();
  }

  /** The role values in force: the explicit ones, else the preset's. */
  public List<String> effectiveRoleValues() {
    return roleValues != null && !roleValues.isEmpty() ? roleValues : presetOrDefault().roleValues();
  }

  /** The preset in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public LeaderPreset presetOrDefault() {
    return preset != null ? preset : LeaderPreset.of(DEFAULT_PRESET);
  }
}
