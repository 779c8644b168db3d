package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/** Knobs of the Job that runs the migration, and of its pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.volumeMounts) || self.volumeMounts.all(m, has(self.volumes) "
    + "&& self.volumes.exists(v, v.name == m.name))",
    message = "every volumeMount names a volume of spec.job.volumes", reason = "FieldValueInvalid",
    fieldPath = ".volumeMounts")
@ValidationRule(value = "!has(self.volumes) || self.volumes.all(v, "
    + "self.volumes.exists_one(w, w.name == v.name))", message = "volume names must be unique",
    reason = "FieldValueDuplicate", fieldPath = ".volumes")
@ValidationRule(value = "!has(self.volumeMounts) || self.volumeMounts.all(m, "
    + "self.volumeMounts.exists_one(n, n.mountPath == m.mountPath))",
    message = "two volumeMounts cannot share a mountPath", reason = "FieldValueDuplicate",
    fieldPath = ".volumeMounts")
@ValidationRule(value = "!has(self.env) || self.env.all(e, self.env.exists_one(f, f.name == e.name))",
    message = "each variable of spec.job.env once: a second would silently replace the first",
    reason = "FieldValueDuplicate", fieldPath = ".env")
public class JobSettings {

  public static final int DEFAULT_BACKOFF_LIMIT = 0;
  public static final long DEFAULT_ACTIVE_DEADLINE_SECONDS = 1800;
  public static final int DEFAULT_TTL_SECONDS_AFTER_FINISHED = 86400;
  public static final int DEFAULT_LEADER_CHANGE_RETRIES = 3;
  public static final int DEFAULT_POD_START_DEADLINE_SECONDS = 300;
  public static final String DEFAULT_IMAGE_PULL_POLICY = "IfNotPresent";
  public static final int MAX_PULL_SECRETS = 16;
  public static final int MAX_NODE_SELECTOR = 16;
  public static final int MAX_TOLERATIONS = 16;
  public static final int MAX_POD_LABELS = 32;
  public static final int MAX_POD_ANNOTATIONS = 32;
  public static final int MAX_ANNOTATION_VALUE = 4096;
  public static final int MAX_ENV = 64;
  public static final int MAX_ENV_FROM = 8;
  public static final int MAX_VOLUMES = 16;

  private static final String LABEL_KEYS_RULE = "self.all(k, k.matches('" + Syntax.LABEL_KEY
      + "') && k.indexOf('/') <= 253)";
  private static final String LABEL_KEYS_MESSAGE = "every key must be a label key such as "
      + "team or example.com/team (an optional DNS subdomain and '/', then at most 63 letters, "
      + "digits, '-', '_' or '.', starting and ending with a letter or digit)";
  // The operator's own labels find the pod again (and the Job controller's tie it to its Job).
  private static final String OWN_LABELS_RULE = "self.all(k, !(k in ['"
      + "app.kubernetes.io/managed-by', 'app.kubernetes.io/component', 'job-name', "
      + "'controller-uid']) && !k.startsWith('dbmigration.dev/') "
      + "&& !k.startsWith('batch.kubernetes.io/'))";
  // Annotations that would loosen the pod's confinement (AppArmor, seccomp) are refused too.
  private static final String OWN_ANNOTATIONS_RULE = "self.all(k, !k.startsWith('dbmigration.dev/')"
      + " && !k.startsWith('batch.kubernetes.io/')"
      + " && !k.startsWith('container.apparmor.security.beta.kubernetes.io/')"
      + " && !k.startsWith('seccomp.security.alpha.kubernetes.io/')"
      + " && !k.startsWith('container.seccomp.security.alpha.kubernetes.io/'))";

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

  @Size(max = MAX_NODE_SELECTOR)
  @ValidationRule(value = LABEL_KEYS_RULE, message = LABEL_KEYS_MESSAGE)
  @JsonPropertyDescription("Node labels the migration's pod must be scheduled on (at most "
      + MAX_NODE_SELECTOR + ").")
  private Map<String, @Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> nodeSelector;

  @Size(max = MAX_TOLERATIONS)
  @SchemaFrom(type = PodSchemas.Toleration[].class)
  @JsonPropertyDescription("Taints the migration's pod tolerates (at most " + MAX_TOLERATIONS
      + ").")
  private List<Toleration> tolerations;

  @SchemaFrom(type = AffinitySchema.class)
  @JsonPropertyDescription("Node affinity and pod (anti-)affinity of the migration's pod, as "
      + "Kubernetes spells them.")
  private Affinity affinity;

  @Size(min = 1, max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  @ValidationRule(value = "!self.startsWith('system-')", message = "system- priority classes are "
      + "for the cluster's own pods (Kubernetes admits them in kube-system only)")
  @JsonPropertyDescription("PriorityClass of the migration's pod.")
  private String priorityClassName;

  @Size(max = MAX_POD_LABELS)
  @ValidationRule(value = LABEL_KEYS_RULE, message = LABEL_KEYS_MESSAGE)
  @ValidationRule(value = OWN_LABELS_RULE, message = "app.kubernetes.io/managed-by, "
      + "app.kubernetes.io/component, job-name, controller-uid and the dbmigration.dev/ and "
      + "batch.kubernetes.io/ prefixes are set by the operator and the Job controller")
  @JsonPropertyDescription("Extra labels of the migration's pod (at most " + MAX_POD_LABELS
      + ").")
  private Map<String, @Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> podLabels;

  @Size(max = MAX_POD_ANNOTATIONS)
  @ValidationRule(value = LABEL_KEYS_RULE, message = "every key must be a qualified name such "
      + "as sidecar.istio.io/inject (an optional DNS subdomain and '/', then at most 63 letters, "
      + "digits, '-', '_' or '.')")
  @ValidationRule(value = OWN_ANNOTATIONS_RULE, message = "the dbmigration.dev/ and "
      + "batch.kubernetes.io/ prefixes are the operator's and the Job controller's, and AppArmor "
      + "and seccomp annotations would loosen the pod's restricted profile")
  @JsonPropertyDescription("Extra annotations of the migration's pod, e.g. "
      + "sidecar.istio.io/inject: \"false\" so that a mesh sidecar never keeps the Job from "
      + "completing (at most " + MAX_POD_ANNOTATIONS + ", values of at most "
      + MAX_ANNOTATION_VALUE + " characters).")
  private Map<String, @Size(max = MAX_ANNOTATION_VALUE) String> podAnnotations;

  @Size(max = MAX_ENV)
  @SchemaFrom(type = PodSchemas.EnvVar[].class)
  @JsonPropertyDescription("Extra non-secret variables of the migration container: a value, or "
      + "a ConfigMap's key. Never the connection variables of spec.env, the ones the operator "
      + "sets for TLS, Flyway or Liquibase, or a name that says it holds a secret.")
  private List<EnvVar> env;

  @Size(max = MAX_ENV_FROM)
  @SchemaFrom(type = PodSchemas.EnvFrom[].class)
  @JsonPropertyDescription("ConfigMaps whose every key becomes a variable of the migration "
      + "container (optionally prefixed); the connection variables and spec.job.env win over "
      + "them. Secrets are not allowed here.")
  private List<EnvFromSource> envFrom;

  @Size(max = MAX_VOLUMES)
  @SchemaFrom(type = PodSchemas.Volume[].class)
  @JsonPropertyDescription("Volumes of the migration's pod: configMap, emptyDir, downwardAPI or "
      + "projected (of ConfigMaps and the downward API) only.")
  private List<Volume> volumes;

  @Size(max = MAX_VOLUMES)
  @SchemaFrom(type = PodSchemas.VolumeMount[].class)
  @JsonPropertyDescription("Where the migration container mounts spec.job.volumes (not under "
      + PodSchemas.RESERVED_MOUNT_ROOT + ", the operator's).")
  private List<VolumeMount> volumeMounts;

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Map<String, String> getPodLabels() {
    return podLabels;
  }

  public void setPodLabels(Map<String, String> podLabels) {
    this.podLabels = podLabels;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<EnvFromSource> getEnvFrom() {
    return envFrom;
  }

  public void setEnvFrom(List<EnvFromSource> envFrom) {
    this.envFrom = envFrom;
  }

  public List<Volume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<Volume> volumes) {
    this.volumes = volumes;
  }

  public List<VolumeMount> getVolumeMounts() {
    return volumeMounts;
  }

  public void setVolumeMounts(List<VolumeMount> volumeMounts) {
    this.volumeMounts = volumeMounts;
  }

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
