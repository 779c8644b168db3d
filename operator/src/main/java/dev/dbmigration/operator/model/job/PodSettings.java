package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The migration pod's settings of spec.job (scheduling, labels and annotations, extra variables,
 * volumes) as the Job carries them: copies, never the resource's own objects, with the
 * operator's labels over the user's and the TLS CA bundle's volume beside the user's. What the
 * CRD lets through is passed on as it is; the security context is not among it.
 */
final class PodSettings {

  private PodSettings() {
  }

  /** spec.job.podLabels, then the operator's labels on top (the CRD refuses clashes anyway). */
  static Map<String, String> labels(DatabaseMigration dbm) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> own = dbm.getSpec().jobOrDefault().getPodLabels();
    if (own != null) {
      labels.putAll(new java.util.TreeMap<>(own));
    }
    labels.putAll(Labels.ofRun(dbm));
    return labels;
  }

  static Map<String, String> annotations(JobSettings job) {
    return job.getPodAnnotations() == null || job.getPodAnnotations().isEmpty() ? null
        : new java.util.TreeMap<>(job.getPodAnnotations());
  }

  static Map<String, String> nodeSelector(JobSettings job) {
    return job.getNodeSelector() == null || job.getNodeSelector().isEmpty() ? null
        : new java.util.TreeMap<>(job.getNodeSelector());
  }

  static List<Toleration> tolerations(JobSettings job) {
    return copies(job.getTolerations(), t -> new TolerationBuilder(t).build());
  }

  static Affinity affinity(JobSettings job) {
    return job.getAffinity() == null ? null : new AffinityBuilder(job.getAffinity()).build();
  }

  static List<EnvVar> env(JobSettings job) {
    List<EnvVar> env = copies(job.getEnv(), e -> new EnvVarBuilder(e).build());
    return env == null ? List.of() : env;
  }

  static List<EnvFromSource> envFrom(JobSettings job) {
    return copies(job.getEnvFrom(), e -> new EnvFromSourceBuilder(e).build());
  }

  /** The user's volumes and, with spec.database.tls.ca, the CA bundle's. */
  static List<Volume> volumes(DatabaseMigrationSpec spec) {
    List<Volume> volumes = new ArrayList<>();
    List<Volume> own = copies(spec.jobOrDefault().getVolumes(), v -> new VolumeBuilder(v).build());
    if (own != null) {
      volumes.addAll(own);
    }
    JobTls.volume(spec).ifPresent(volumes::add);
    return volumes.isEmpty() ? null : volumes;
  }

  static List<VolumeMount> volumeMounts(DatabaseMigrationSpec spec) {
    List<VolumeMount> mounts = new ArrayList<>();
    List<VolumeMount> own = copies(spec.jobOrDefault().getVolumeMounts(),
        m -> new VolumeMountBuilder(m).build());
    if (own != null) {
      mounts.addAll(own);
    }
    JobTls.mount(spec).ifPresent(mounts::add);
    return mounts.isEmpty() ? null : mounts;
  }

  private static <T> List<T> copies(List<T> items, java.util.function.UnaryOperator<T> copy) {
    return items == null || items.isEmpty() ? null : items.stream().map(copy).toList();
  }
}
