package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A workload container whose image the migration follows, so that a PR environment migrates
 * again whenever its app is rebuilt, without anyone editing the DatabaseMigration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSource {

  public static final String DEFAULT_KIND = "Deployment";

  @Default(DEFAULT_KIND)
  @JsonPropertyDescription("Deployment or StatefulSet.")
  private WorkloadKind kind = WorkloadKind.valueOf(DEFAULT_KIND);

  @Required
  @Size(min = 1, max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the workload, in the resource's own namespace.")
  private String name;

  @Required
  @Size(min = 1, max = 63)
  @Pattern(Syntax.DNS_LABEL)
  @JsonPropertyDescription("Name of the container in the workload's pod template whose image runs "
      + "the migration.")
  private String container;

  public ImageSource() {
  }

  public ImageSource(WorkloadKind kind, String name, String container) {
    this.kind = kind;
    this.name = name;
    this.container = container;
  }

  public WorkloadKind getKind() {
    return kind;
  }

  public void setKind(WorkloadKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getContainer() {
    return container;
  }

  public void setContainer(String container) {
    this.container = container;
  }

  /** The kind in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public WorkloadKind kindOrDefault() {
    return kind != null ? kind : WorkloadKind.valueOf(DEFAULT_KIND);
  }

  @Override
  public String toString() {
    return kindOrDefault() + "/" + name + " container " + container;
  }
}
