package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret of the resource's own namespace; there is deliberately no namespace field. */
public class CredentialsSecret {

  @Required
  @Size(min = 1, max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @JsonPropertyDescription("Keys of the Secret; default to " + SecretKeys.DEFAULT_DATABASE + ", "
      + SecretKeys.DEFAULT_USERNAME + ", " + SecretKeys.DEFAULT_PASSWORD + ".")
  private SecretKeys keys = new SecretKeys();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public SecretKeys getKeys() {
    return keys;
  }

  public void setKeys(SecretKeys keys) {
    this.keys = keys;
  }

  /** The keys in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public SecretKeys keysOrDefault() {
    return keys != null ? keys : new SecretKeys();
  }
}
