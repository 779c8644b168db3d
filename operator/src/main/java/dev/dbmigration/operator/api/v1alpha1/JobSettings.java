package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** Knobs of the Job that runs the migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobSettings {

  public static final int DEFAULT_BACKOFF_LIMIT = 0;
  public static final long DEFAULT_ACTIVE_DEADLINE_SECONDS = 1800;
  public static final int DEFAULT_TTL_SECONDS_AFTER_FINISHED = 86400;
  public static final int DEFAULT_LEADER_CHANGE_RETRIES = 3;
  public static final int DEFAULT_POD_START_DEADLINE_SECONDS = 300;
  public static final String DEFAULT_IMAGE_PULL_POLICY = "IfNotPresent";
  public static final int MAX_PULL_SECRETS = 16;

  @Default("" + DEFAULT_BACKOFF_LIMIT)
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of a failed migration pod; 0 because a half-applied migration "
      + "should be looked at before it is tried again.")
  private Integer backoffLimit = DEFAULT_BACKOFF_LIMIT;

  @Default("" + DEFAULT_ACTIVE_DEADLINE_SECONDS)
  @Min(1)
  @Max(604800)
  @JsonPropertyDescription("Seconds after which a running migration is stopped.")
  private Long activeDeadlineSeconds = DEFAULT_ACTIVE_DEADLINE_SECONDS;

  @Default("" + DEFAULT_TTL_SECONDS_AFTER_FINISHED)
  @Min(0)
  @Max(2592000)
  @JsonPropertyDescription("Seconds a finished Job (and its logs) is kept.")
  private Integer ttlSecondsAfterFinished = DEFAULT_TTL_SECONDS_AFTER_FINISHED;

  @Default("" + DEFAULT_LEADER_CHANGE_RETRIES)
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("New Jobs made, with backoff, when a Job fails after the database "
      + "leader changed while it ran; a failure against an unchanged leader is never retried.")
  private Integer leaderChangeRetries = DEFAULT_LEADER_CHANGE_RETRIES;

  @Default("" + DEFAULT_POD_START_DEADLINE_SECONDS)
  @Min(10)
  @Max(86_400)
  @JsonPropertyDescription("Seconds the migration's pod may take to start (image pull, "
      + "scheduling) before the run ends as failed with reason PodNotStarting; a pod that "
      + "can never start (image absent under imagePullPolicy Never, refused as root) ends it "
      + "at once.")
  private Integer podStartDeadlineSeconds = DEFAULT_POD_START_DEADLINE_SECONDS;

  @Default(DEFAULT_IMAGE_PULL_POLICY)
  @JsonPropertyDescription("When the kubelet pulls the image: Always, IfNotPresent or Never "
      + "(for images loaded onto the nodes beforehand).")
  private PullPolicy imagePullPolicy = PullPolicy.valueOf(DEFAULT_IMAGE_PULL_POLICY);

  @Size(min = 1, max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Service account of the migration pod; none is mounted either way.")
  private String serviceAccountName;

  // Read as fabric8's type, checked by a schema of its own: fabric8's says nothing of names,
  // quantities or claims, and the API server refuses what the Job's pod cannot hold.
  @SchemaFrom(type = ResourcesSchema.class)
  @JsonPropertyDescription("CPU, memory and ephemeral storage of the migration container.")
  private ResourceRequirements resources;

  @Size(max = MAX_PULL_SECRETS)
  @SchemaFrom(type = PullSecretSchema[].class)
  @JsonPropertyDescription("Pull secrets for the image.")
  private List<LocalObjectReference> imagePullSecrets;

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public Integer getLeaderChangeRetries() {
    return leaderChangeRetries;
  }

  public void setLeaderChangeRetries(Integer leaderChangeRetries) {
    this.leaderChangeRetries = leaderChangeRetries;
  }

  public Integer getPodStartDeadlineSeconds() {
    return podStartDeadlineSeconds;
  }

  public void setPodStartDeadlineSeconds(Integer podStartDeadlineSeconds) {
    this.podStartDeadlineSeconds = podStartDeadlineSeconds;
  }

  public PullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(PullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  // The settings in force (see DatabaseMigrationSpec#engineOrDefault() on defaults).

  public int backoffLimitOrDefault() {
    return backoffLimit != null ? backoffLimit : DEFAULT_BACKOFF_LIMIT;
  }

  public long activeDeadlineSecondsOrDefault() {
    return activeDeadlineSeconds != null ? activeDeadlineSeconds : DEFAULT_ACTIVE_DEADLINE_SECONDS;
  }

  public int ttlSecondsAfterFinishedOrDefault() {
    return ttlSecondsAfterFinished != null ? ttlSecondsAfterFinished
        : DEFAULT_TTL_SECONDS_AFTER_FINISHED;
  }

  public int leaderChangeRetriesOrDefault() {
    return leaderChangeRetries != null ? leaderChangeRetries : DEFAULT_LEADER_CHANGE_RETRIES;
  }

  public int podStartDeadlineSecondsOrDefault() {
    return podStartDeadlineSeconds != null ? podStartDeadlineSeconds
        : DEFAULT_POD_START_DEADLINE_SECONDS;
  }

  public PullPolicy imagePullPolicyOrDefault() {
    return imagePullPolicy != null ? imagePullPolicy
        : PullPolicy.valueOf(DEFAULT_IMAGE_PULL_POLICY);
  }
}
