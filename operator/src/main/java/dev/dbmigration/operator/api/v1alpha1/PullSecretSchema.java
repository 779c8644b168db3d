package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * The schema of one entry of {@code spec.job.imagePullSecrets}; the Java field stays fabric8's
 * LocalObjectReference, whose schema leaves the name optional and free.
 */
final class PullSecretSchema {

  @Required
  @Size(min = 1, max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  @JsonProperty
  private String name;

  private PullSecretSchema() {
  }
}
