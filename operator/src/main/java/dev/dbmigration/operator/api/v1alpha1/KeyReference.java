package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a ConfigMap or Secret of the resource's own namespace (there is no namespace). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyReference {

  public static final String DEFAULT_CA_KEY = "ca.crt";

  @Required
  @Size(min = 1, max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the object.")
  private String name;

  @Default(DEFAULT_CA_KEY)
  @Size(min = 1, max = 253)
  @Pattern(Syntax.SECRET_KEY)
  @JsonPropertyDescription("The key holding the PEM bundle.")
  private String key = DEFAULT_CA_KEY;

  public KeyReference() {
  }

  public KeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  /** The key in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public String keyOrDefault() {
    return key != null ? key : DEFAULT_CA_KEY;
  }
}
