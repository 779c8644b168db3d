package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** How to recognise the database cluster's leader pod among the pods of the namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LeaderDiscovery {

  public static final String DEFAULT_PRESET = "patroni";
  /**
   * Most labels a selector may name. A database cluster is told apart by one or two; the bound
   * keeps the API server's cost estimate of the key rule, which runs once per key, in budget.
   */
  public static final int MAX_SELECTOR_LABELS = 16;
  /** Longest label key: a 253-character prefix, '/', a 63-character name. */
  public static final int MAX_LABEL_KEY = 317;

  // An empty selector would match every pod of the namespace.
  @Required
  @Size(max = MAX_SELECTOR_LABELS)
  @ValidationRule(value = "size(self) > 0",
      message = "needs at least one label, e.g. cluster-name: my-cluster")
  @ValidationRule(value = "self.all(k, k.matches('" + Syntax.LABEL_KEY + "') && k.indexOf('/') <= 253)",
      message = "every key must be a label key such as cluster-name or example.com/cluster "
          + "(an optional DNS subdomain of at most 253 characters and '/', then at most 63 "
          + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit)")
  @JsonPropertyDescription("Labels every pod of the database cluster carries, e.g. cluster-name "
      + "(1 to " + MAX_SELECTOR_LABELS + " labels).")
  private Map<String, @Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> selector;

  @Default(DEFAULT_PRESET)
  @JsonPropertyDescription("Which operator labels the leader: patroni (role=master|primary), "
      + "spilo (spilo-role), crunchy (postgres-operator.crunchydata.com/role), "
      + "cloudnativepg (cnpg.io/instanceRole=primary).")
  private LeaderPreset preset = LeaderPreset.of(DEFAULT_PRESET);

  @Size(min = 1, max = MAX_LABEL_KEY)
  @Pattern(Syntax.LABEL_KEY)
  @ValidationRule(value = "self.indexOf('/') <= 253",
      message = "the prefix before '/' must be a DNS subdomain of at most 253 characters")
  @JsonPropertyDescription("Label that carries the role; overrides the preset's.")
  private String roleLabel;

  @Size(min = 1, max = 8)
  @JsonPropertyDescription("Values of roleLabel that mark the leader; override the preset's.")
  private List<@Size(min = 1, max = 63) @Pattern(Syntax.ROLE_VALUE) String> roleValues;

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
