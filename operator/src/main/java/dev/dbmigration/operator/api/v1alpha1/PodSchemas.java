package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The schemas of the migration pod's settings under spec.job whose Java fields stay fabric8's
 * types (Toleration, EnvVar, EnvFromSource, Volume, VolumeMount): each names only what the
 * migration's pod may hold, so the API server refuses at apply time what the Job would be
 * refused for, or what would take the pod out of the restricted Pod Security profile. A field
 * left out here is pruned by the API server, never passed on.
 */
final class PodSchemas {

  /** Where the operator mounts the TLS CA bundle; the user's mounts stay clear of it. */
  static final String RESERVED_MOUNT_ROOT = "/etc/dbmigration";
  /** The operator's own volume names start so (the CA bundle). */
  static final String RESERVED_VOLUME_PREFIX = "dbmigration-";

  private PodSchemas() {
  }

  /** One toleration of a node taint. */
  @ValidationRule(value = "!has(self.operator) || self.operator != 'Exists' || !has(self.value) "
      + "|| self.value == ''", message = "operator Exists takes no value")
  @ValidationRule(value = "has(self.key) || (has(self.operator) && self.operator == 'Exists')",
      message = "a toleration without a key tolerates every taint and needs operator Exists")
  @ValidationRule(value = "!has(self.tolerationSeconds) || (has(self.effect) "
      + "&& self.effect == 'NoExecute')", message = "tolerationSeconds is for effect NoExecute")
  static final class Toleration {
    @Size(max = LeaderDiscovery.MAX_LABEL_KEY)
    @Pattern(Syntax.LABEL_KEY)
    @JsonProperty
    private String key;

    @JsonProperty
    private TolerationOperator operator;

    @Size(max = 63)
    @Pattern(Syntax.LABEL_VALUE)
    @JsonProperty
    private String value;

    @JsonProperty
    private TaintEffect effect;

    @Min(0)
    @Max(31_536_000)
    @JsonProperty
    private Long tolerationSeconds;
  }

  enum TolerationOperator { Exists, Equal }

  enum TaintEffect { NoSchedule, PreferNoSchedule, NoExecute }

  /**
   * A variable beside the connection variables: a literal or a ConfigMap's key, never a Secret's
   * (the operator could not keep such a value out of what it reports). Names the operator sets
   * itself, and names that say they hold a secret, are refused.
   */
  @ValidationRule(value = "!(has(self.value) && has(self.valueFrom))",
      message = "set value or valueFrom, not both")
  static final class EnvVar {
    @Required
    @Size(min = 1, max = 128)
    @Pattern(Syntax.ENV_NAME)
    @ValidationRule(value = "!(self in " + PodSchemas.ENGINE_VARIABLES + ")",
        message = "the operator sets this variable itself (TLS, Flyway and Liquibase connection "
            + "settings come from spec.database)")
    @ValidationRule(value = "!self.matches('(?i)(passw|passfile|secret|token|credential)')",
        message = "the name says it holds a secret: secrets reach the migration only through "
            + "spec.database.credentialsSecret")
    @JsonProperty
    private String name;

    @Size(max = 4096)
    @JsonProperty
    private String value;

    @JsonProperty
    private EnvSource valueFrom;
  }

  /** The variables the operator sets on some engines or for TLS. */
  static final String ENGINE_VARIABLES = "['PGSSLMODE', 'PGSSLROOTCERT', 'FLYWAY_URL', "
      + "'FLYWAY_USER', 'FLYWAY_PASSWORD', 'LIQUIBASE_COMMAND_URL', 'LIQUIBASE_COMMAND_USERNAME', "
      + "'LIQUIBASE_COMMAND_PASSWORD']";

  static final class EnvSource {
    @Required
    @JsonProperty
    private ConfigMapKey configMapKeyRef;
  }

  static final class ConfigMapKey {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.DNS_SUBDOMAIN)
    @JsonProperty
    private String name;

    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.SECRET_KEY)
    @JsonProperty
    private String key;

    @JsonProperty
    private Boolean optional;
  }

  /** Every key of a ConfigMap as a variable; a Secret's are refused for the reason above. */
  static final class EnvFrom {
    @Required
    @JsonProperty
    private ConfigMapName configMapRef;

    @Size(max = 64)
    @Pattern(Syntax.ENV_NAME)
    @JsonProperty
    private String prefix;
  }

  static final class ConfigMapName {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.DNS_SUBDOMAIN)
    @JsonProperty
    private String name;

    @JsonProperty
    private Boolean optional;
  }

  /**
   * A volume of a kind the restricted profile allows and that brings no credential into the pod:
   * a ConfigMap, an emptyDir, the downward API, or a projection of those. Secret, hostPath,
   * persistentVolumeClaim, CSI and ephemeral volumes are not in the schema (see the README).
   */
  @ValidationRule(value = "(has(self.configMap) ? 1 : 0) + (has(self.emptyDir) ? 1 : 0) "
      + "+ (has(self.downwardAPI) ? 1 : 0) + (has(self.projected) ? 1 : 0) == 1",
      message = "each volume needs exactly one of configMap, emptyDir, downwardAPI or projected; "
          + "other kinds (secret, hostPath, persistentVolumeClaim, csi, ephemeral, ...) are not "
          + "allowed")
  static final class Volume {
    @Required
    @Size(min = 1, max = 63)
    @Pattern(Syntax.DNS_LABEL)
    @ValidationRule(value = "!self.startsWith('" + RESERVED_VOLUME_PREFIX + "')",
        message = "volume names starting with " + RESERVED_VOLUME_PREFIX + " are the operator's")
    @JsonProperty
    private String name;

    @JsonProperty
    private ConfigMapVolume configMap;

    @JsonProperty
    private EmptyDirVolume emptyDir;

    @JsonProperty
    private DownwardApiVolume downwardAPI;

    @JsonProperty
    private ProjectedVolume projected;
  }

  static final class ConfigMapVolume {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.DNS_SUBDOMAIN)
    @JsonProperty
    private String name;

    @Size(max = 32)
    @JsonProperty
    private List<KeyToPath> items;

    @Min(0)
    @Max(511)
    @JsonProperty
    private Integer defaultMode;

    @JsonProperty
    private Boolean optional;
  }

  static final class KeyToPath {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.SECRET_KEY)
    @JsonProperty
    private String key;

    @Required
    @Size(min = 1, max = 1024)
    @Pattern(Syntax.RELATIVE_PATH)
    @JsonProperty
    private String path;

    @Min(0)
    @Max(511)
    @JsonProperty
    private Integer mode;
  }

  static final class EmptyDirVolume {
    @JsonProperty
    private StorageMedium medium;

    // A string, not int-or-string: a quantity rule in CEL at this depth of lists costs more than
    // the API server's budget, a pattern nothing.
    @Size(min = 1, max = 32)
    @Pattern(Syntax.QUANTITY)
    @JsonProperty
    private String sizeLimit;
  }

  enum StorageMedium {
    @JsonProperty("")
    DEFAULT,
    @JsonProperty("Memory")
    MEMORY
  }

  static final class DownwardApiVolume {
    @Size(max = 32)
    @JsonProperty
    private List<DownwardApiFile> items;

    @Min(0)
    @Max(511)
    @JsonProperty
    private Integer defaultMode;
  }

  @ValidationRule(value = "has(self.fieldRef) != has(self.resourceFieldRef)",
      message = "set exactly one of fieldRef or resourceFieldRef")
  static final class DownwardApiFile {
    @Required
    @Size(min = 1, max = 1024)
    @Pattern(Syntax.RELATIVE_PATH)
    @JsonProperty
    private String path;

    @JsonProperty
    private FieldRef fieldRef;

    @JsonProperty
    private ResourceFieldRef resourceFieldRef;

    @Min(0)
    @Max(511)
    @JsonProperty
    private Integer mode;
  }

  static final class FieldRef {
    @Required
    @Size(min = 1, max = 256)
    @Pattern(Syntax.DOWNWARD_FIELD)
    @JsonProperty
    private String fieldPath;

    @Size(max = 64)
    @JsonProperty
    private String apiVersion;
  }

  static final class ResourceFieldRef {
    @Size(max = 63)
    @Pattern(Syntax.DNS_LABEL)
    @JsonProperty
    private String containerName;

    @Required
    @Pattern("^(limits|requests)[.](cpu|memory|ephemeral-storage)$")
    @JsonProperty
    private String resource;

    // The divisors Kubernetes accepts for cpu (1, 1m) and the others (1, 1k ... 1Ei).
    @Pattern("^1(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
    @JsonProperty
    private String divisor;
  }

  static final class ProjectedVolume {
    @Required
    @Size(min = 1, max = 16)
    @JsonProperty
    private List<ProjectedSource> sources;

    @Min(0)
    @Max(511)
    @JsonProperty
    private Integer defaultMode;
  }

  /** A ConfigMap or the downward API: the same rule as volumes, no Secret, no token. */
  @ValidationRule(value = "has(self.configMap) != has(self.downwardAPI)",
      message = "each projected source needs exactly one of configMap or downwardAPI; secret, "
          + "serviceAccountToken and clusterTrustBundle are not allowed")
  static final class ProjectedSource {
    @JsonProperty
    private ProjectedConfigMap configMap;

    @JsonProperty
    private DownwardApiVolume downwardAPI;
  }

  static final class ProjectedConfigMap {
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.DNS_SUBDOMAIN)
    @JsonProperty
    private String name;

    @Size(max = 32)
    @JsonProperty
    private List<KeyToPath> items;

    @JsonProperty
    private Boolean optional;
  }

  /** Where a volume of spec.job.volumes appears in the migration container. */
  static final class VolumeMount {
    @Required
    @Size(min = 1, max = 63)
    @Pattern(Syntax.DNS_LABEL)
    @JsonProperty
    private String name;

    @Required
    @Size(min = 2, max = 1024)
    @Pattern(Syntax.MOUNT_PATH)
    @ValidationRule(value = "self != '" + RESERVED_MOUNT_ROOT + "' && !self.startsWith('"
        + RESERVED_MOUNT_ROOT + "/')", message = RESERVED_MOUNT_ROOT
        + " is where the operator mounts the TLS CA bundle")
    @JsonProperty
    private String mountPath;

    @JsonProperty
    private Boolean readOnly;

    @Size(max = 1024)
    @Pattern(Syntax.RELATIVE_PATH)
    @JsonProperty
    private String subPath;
  }
}
