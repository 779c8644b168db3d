package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.literal;

import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.model.run.RunIdentity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.LocalObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds the Job that runs one migration of a {@link DatabaseMigration} against a given host. */
public final class MigrationJobBuilder {

  public static final String CONTAINER_NAME = "migrate";

  private MigrationJobBuilder() {
  }

  /** The Job of a resource that names its image in spec.image. */
  public static Job build(DatabaseMigration dbm, String jobName, String host) {
    return build(dbm, jobName, host, dbm.getSpec().getImage());
  }

  /**
   * The Job of a run with the given image (spec.image, or the one resolved from imageFrom),
   * without the database lock's sidecar.
   */
  public static Job build(DatabaseMigration dbm, String jobName, String host, String image) {
    return build(dbm, jobName, host, image, null);
  }

  /**
   * The Job of a run; with {@code lockImage} (the operator's image) and spec.databaseLock, its
   * pod holds the database's advisory lock for the whole run ({@link LockSidecar}).
   */
  public static Job build(DatabaseMigration dbm, String jobName, String host, String image,
      String lockImage) {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(image, "image");
    String lock = LockSidecar.applies(dbm.getSpec()) ? lockImage : null;
    return new JobBuilder()
        .withMetadata(jobMetadata(dbm, jobName))
        .withSpec(jobSpec(dbm, host, image, lock))
        .build();
  }

  private static ObjectMeta jobMetadata(DatabaseMigration dbm, String jobName) {
    return new ObjectMetaBuilder()
        .withName(jobName)
        .withNamespace(dbm.getMetadata().getNamespace())
        .withLabels(Labels.ofRun(dbm))
        .withAnnotations(annotations(dbm))
        .withOwnerReferences(ownerReference(dbm))
        .build();
  }

  // What the run was asked to do, readable on the Job even after the resource's spec moves on.
  private static Map<String, String> annotations(DatabaseMigration dbm) {
    DatabaseMigrationSpec spec = dbm.getSpec();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Labels.ACTION_ANNOTATION, spec.actionOrDefault().value());
    annotations.put(Labels.TARGET_ANNOTATION, spec.targetOrDefault());
    annotations.put(Labels.ENGINE_ANNOTATION, Engines.forEngine(spec.engineOrDefault()).name());
    String rerun = RunIdentity.rerunTokenOf(dbm);
    if (!rerun.isEmpty()) {
      annotations.put(Labels.RERUN_ANNOTATION, rerun);
    }
    return annotations;
  }

  // controller=true lets the Job be found as the resource's own; deleting the resource collects it.
  private static OwnerReference ownerReference(DatabaseMigration dbm) {
    return new OwnerReferenceBuilder()
        .withApiVersion(HasMetadata.getApiVersion(DatabaseMigration.class))
        .withKind(HasMetadata.getKind(DatabaseMigration.class))
        .withName(dbm.getMetadata().getName())
        .withUid(dbm.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static JobSpec jobSpec(DatabaseMigration dbm, String host, String image,
      String lockImage) {
    JobSettings job = dbm.getSpec().jobOrDefault();
    return new JobSpecBuilder()
        .withBackoffLimit(job.backoffLimitOrDefault())
        .withActiveDeadlineSeconds(job.activeDeadlineSecondsOrDefault())
        .withTtlSecondsAfterFinished(job.ttlSecondsAfterFinishedOrDefault())
        .withTemplate(podTemplate(dbm, host, image, lockImage))
        .build();
  }

  private static PodTemplateSpec podTemplate(DatabaseMigration dbm, String host, String image,
      String lockImage) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(PodSettings.labels(dbm))
        .withAnnotations(PodSettings.annotations(dbm.getSpec().jobOrDefault()))
        .endMetadata()
        .withSpec(podSpec(dbm.getSpec(), host, image, lockImage))
        .build();
  }

  private static PodSpec podSpec(DatabaseMigrationSpec spec, String host, String image,
      String lockImage) {
    JobSettings job = spec.jobOrDefault();
    Container migrate = container(spec, host, image);
    List<Container> sidecars = List.of();
    if (lockImage != null) {
      sidecars = List.of(LockSidecar.of(spec, lockImage, host,
          job.activeDeadlineSecondsOrDefault()));
      migrate.getEnv().add(literal(LockSidecar.HELD_VARIABLE, "true"));
    }
    return new PodSpecBuilder()
        .withInitContainers(sidecars)
        // A retry is the Job's decision (backoffLimit), never the kubelet's.
        .withRestartPolicy("Never")
        // The migration talks to PostgreSQL only; it has no business with the Kubernetes API.
        .withAutomountServiceAccountToken(false)
        .withServiceAccountName(job.getServiceAccountName())
        .withImagePullSecrets(imagePullSecrets(job))
        .withNodeSelector(PodSettings.nodeSelector(job))
        .withTolerations(PodSettings.tolerations(job))
        .withAffinity(PodSettings.affinity(job))
        .withPriorityClassName(job.getPriorityClassName())
        .withVolumes(PodSettings.volumes(spec))
        // Set last and by the operator alone: no setting of the resource reaches it.
        .withSecurityContext(podSecurityContext())
        .withContainers(migrate)
        .build();
  }

  // No runAsUser or fsGroup: OpenShift's restricted SCC assigns them from the namespace's range
  // and rejects pods that pick their own.
  private static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static List<LocalObjectReference> imagePullSecrets(JobSettings job) {
    if (job.getImagePullSecrets() == null || job.getImagePullSecrets().isEmpty()) {
      return null;
    }
    return job.getImagePullSecrets().stream()
        .map(ref -> new LocalObjectReferenceBuilder(ref).build())
        .toList();
  }

  private static Container container(DatabaseMigrationSpec spec, String host, String image) {
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(image)
        // command, not args: the image's entrypoint usually starts the application, not the tool.
        .withCommand(Engines.forEngine(spec.engineOrDefault()).command(spec))
        .withWorkingDir(spec.getWorkingDir())
        .withImagePullPolicy(spec.jobOrDefault().imagePullPolicyOrDefault().name())
        // The kubelet then keeps the output's tail in the pod's status when the tool fails, so
        // the operator can report the engine's error without reading logs.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withEnv(env(spec, host))
        .withEnvFrom(PodSettings.envFrom(spec.jobOrDefault()))
        .withVolumeMounts(PodSettings.volumeMounts(spec))
        .withResources(resources(spec.jobOrDefault()))
        .withSecurityContext(containerSecurityContext())
        .build();
  }

  static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withRunAsNonRoot(true)
        .build();
  }

  // No CPU limit: throttling a migration only makes it hold its locks longer.
  private static ResourceRequirements resources(JobSettings job) {
    if (job.getResources() != null) {
      return new ResourceRequirementsBuilder(job.getResources()).build();
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("128Mi"))
        .addToLimits("memory", new Quantity("512Mi"))
        .build();
  }

  // Where to connect is literal; who connects comes from the Secret by reference, so no
  // credential ever appears in the Job, its events or the operator's memory.
  private static List<EnvVar> env(DatabaseMigrationSpec spec, String host) {
    EnvNames names = spec.envOrDefault();
    CredentialsSecret secret = spec.getDatabase().getCredentialsSecret();
    SecretKeys keys = secret.keysOrDefault();
    String secretName = secret.getName();
    List<EnvVar> connection = List.of(
        literal(names.hostOrDefault(), host),
        literal(names.portOrDefault(), Integer.toString(spec.getDatabase().portOrDefault())),
        fromSecret(names.databaseOrDefault(), secretName, keys.databaseOrDefault()),
        fromSecret(names.usernameOrDefault(), secretName, keys.usernameOrDefault()),
        fromSecret(names.passwordOrDefault(), secretName, keys.passwordOrDefault()));
    // Engine variables come after the connection variables: $(VAR) only sees earlier entries.
    // The user's own come last, so they may build on all of them.
    List<EnvVar> all = new java.util.ArrayList<>(connection);
    all.addAll(Engines.forEngine(spec.engineOrDefault()).extraEnv(spec));
    all.addAll(JobTls.libpqEnv(spec));
    all.addAll(PodSettings.env(spec.jobOrDefault()));
    return all;
  }


  // optional=false: a missing Secret or key keeps the pod from starting instead of running the
  // tool with an empty password.
  static EnvVar fromSecret(String name, String secretName, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secretName)
        .withKey(key)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
