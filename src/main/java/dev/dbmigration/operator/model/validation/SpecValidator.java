package dev.dbmigration.operator.model.validation;

import static dev.dbmigration.operator.model.validation.KubernetesNames.quote;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.JobSettings;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The reconciler's own check of a {@link DatabaseMigration}. The CRD schema rejects most of this
 * at apply time, but an old CRD or a client that skips validation can still hand us anything, and
 * the values end up in a Job's command line and environment. Never throws; reports every broken
 * rule, in the order of the spec's fields.
 */
public final class SpecValidator {

  private static final int MAX_IMAGE = 512;
  private static final int MAX_WORKING_DIR = 1024;
  private static final int MAX_TARGET = 70;
  private static final int MAX_ENV_NAME = 128;
  private static final int MAX_SECRET_KEY = 253;
  private static final int MAX_ROLE_VALUES = 8;
  /**
   * Most violations one message lists: each is short, but a selector of thousands of bad keys
   * would otherwise make a status larger than the API server accepts, and no status at all.
   */
  static final int MAX_REPORTED = 10;
  /**
   * Characters a shell gives a meaning to. The Job passes workingDir to the container runtime
   * as is, but images commonly wrap the tool in an entrypoint script that does cd "$DIR", and a
   * directory name holding any of these is a typo at best.
   */
  private static final String SHELL_SYNTAX = "$`;|&<>()\\'\"";

  private static final int MAX_DNS_SUBDOMAIN = 253;
  private static final int MAX_CONTAINER_NAME = 63;
  private static final Pattern IMAGE_SOURCE_NAME = Pattern.compile(ImageSource.NAME_PATTERN);
  private static final Pattern CONTAINER = Pattern.compile(ImageSource.CONTAINER_PATTERN);
  private static final Pattern IMAGE = Pattern.compile(DatabaseMigrationSpec.IMAGE_PATTERN);
  private static final Pattern TARGET = Pattern.compile(DatabaseMigrationSpec.TARGET_PATTERN);
  private static final Pattern FLYWAY_VERSION = Pattern.compile("^[0-9][0-9._]*$");
  private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$");
  private static final Pattern SECRET_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
  private static final Pattern ENV_NAME = Pattern.compile(EnvNames.NAME_PATTERN);
  /** Kubernetes' quantity grammar: a decimal number and a binary, decimal or exponent suffix. */
  private static final Pattern QUANTITY = Pattern.compile(
      "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$");
  private static final int MAX_QUANTITY = 64;

  private static final String DNS_SUBDOMAIN_RULE =
      "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)";
  private static final String LABEL_VALUE_RULE = "is not a valid label value (at most 63 letters, "
      + "digits, '-', '_' or '.', starting and ending with a letter or digit)";

  private final List<Violation> violations = new ArrayList<>();

  private SpecValidator() {
  }

  /**
   * The violations as one message for a status and an Event: at most {@value #MAX_REPORTED},
   * then how many more there are.
   */
  public static String describe(List<Violation> violations) {
    String shown = violations.stream().limit(MAX_REPORTED).map(Violation::toString)
        .collect(Collectors.joining("; "));
    int more = violations.size() - MAX_REPORTED;
    return more > 0 ? shown + "; and " + more + " more" : shown;
  }

  /** Every rule the resource breaks; empty when it is fit to run. */
  public static List<Violation> validate(DatabaseMigration dbm) {
    SpecValidator validator = new SpecValidator();
    DatabaseMigrationSpec spec = dbm == null ? null : dbm.getSpec();
    if (spec == null) {
      validator.add("spec", "is required");
    } else {
      validator.spec(spec);
    }
    return List.copyOf(validator.violations);
  }

  private void spec(DatabaseMigrationSpec spec) {
    if (spec.getImageFrom() != null) {
      if (spec.getImage() != null) {
        add("spec.image", "set exactly one of image or imageFrom, not both");
      }
      imageFrom(spec.getImageFrom());
    } else {
      image(spec.getImage());
    }
    // engine: an enum, so any non-null value is valid, and null means the alembic default.
    workingDir(spec.getWorkingDir());
    actionAndTarget(spec);
    database(spec.getDatabase());
    env(spec.getEnv() != null ? spec.getEnv() : new EnvNames());
    job(spec.getJob() != null ? spec.getJob() : new JobSettings());
  }

  private void image(String image) {
    String field = "spec.image";
    if (required(field, image) && maxLength(field, image, MAX_IMAGE) && !IMAGE.matcher(image).matches()) {
      add(field, "must be an image reference like registry/path:tag or path@sha256:<digest> "
          + "(lowercase path), got " + quote(image));
    }
  }

  private void imageFrom(ImageSource source) {
    if (source.getKind() == null) {
      add("spec.imageFrom.kind", "must be Deployment or StatefulSet");
    }
    String name = source.getName();
    if (required("spec.imageFrom.name", name)
        && (name.length() > MAX_DNS_SUBDOMAIN || !IMAGE_SOURCE_NAME.matcher(name).matches())) {
      add("spec.imageFrom.name", DNS_SUBDOMAIN_RULE + ", got " + quote(name));
    }
    String container = source.getContainer();
    if (required("spec.imageFrom.container", container)
        && (container.length() > MAX_CONTAINER_NAME || !CONTAINER.matcher(container).matches())) {
      add("spec.imageFrom.container", "must be a container name (a DNS-1123 label), got "
          + quote(container));
    }
  }

  private void workingDir(String dir) {
    String field = "spec.workingDir";
    if (dir == null) {
      return;
    }
    maxLength(field, dir, MAX_WORKING_DIR);
    if (!dir.startsWith("/")) {
      add(field, "must be an absolute path (start with /), got " + quote(dir));
    }
    if (dir.chars().anyMatch(SpecValidator::isControl)) {
      add(field, "must not contain control or invisible formatting characters (such as a bidi "
          + "override), got " + quote(dir));
    }
    if (dir.chars().anyMatch(c -> SHELL_SYNTAX.indexOf(c) >= 0)) {
      add(field, "must not contain shell syntax ($ ` ; | & < > ( ) \\ ' \"), got " + quote(dir));
    }
  }

  private void actionAndTarget(DatabaseMigrationSpec spec) {
    Action action = spec.getAction() != null ? spec.getAction() : Action.UPGRADE;
    String target = spec.getTarget() != null ? spec.getTarget() : "head";
    String field = "spec.target";
    if (maxLength(field, target, MAX_TARGET) && !TARGET.matcher(target).matches()) {
      add(field, "must be head, heads, base, a revision id, +N, -N or <revision>+N/-N, got " + quote(target));
    }
    if (action == Action.UPGRADE && (target.equals("base") || target.startsWith("-"))) {
      add(field, "an upgrade cannot target base or a negative step (-N); use action: downgrade");
    }
    if (action == Action.DOWNGRADE && !Boolean.TRUE.equals(spec.getAllowDowngrade())) {
      add("spec.allowDowngrade", "action downgrade needs allowDowngrade: true (a downgrade may drop data)");
    }
    if (spec.getEngine() == Engine.FLYWAY && (action == Action.DOWNGRADE
        || !(target.equals("head") || FLYWAY_VERSION.matcher(target).matches()))) {
      add(field, "engine flyway supports upgrade (to head or a version such as 1.2) and history "
          + "only, got " + action.value() + " " + quote(target));
    }
  }

  private void database(DatabaseSpec database) {
    if (database == null) {
      add("spec.database", "is required");
      return;
    }
    credentialsSecret(database.getCredentialsSecret());
    if (database.getLeader() != null && database.getHost() != null) {
      add("spec.database", "set exactly one of database.leader or database.host, not both");
    } else if (database.getLeader() == null && database.getHost() == null) {
      add("spec.database", "set one of database.leader (discover the leader pod) or database.host");
    }
    if (database.getLeader() != null) {
      leader(database.getLeader());
    }
    if (database.getHost() != null) {
      host(database.getHost());
    }
    Integer port = database.getPort();
    if (port != null) {
      range("spec.database.port", port, 1, 65535);
    }
  }

  private void credentialsSecret(CredentialsSecret secret) {
    String field = "spec.database.credentialsSecret";
    if (secret == null) {
      add(field, "is required");
      return;
    }
    String name = secret.getName();
    if (required(field + ".name", name) && !KubernetesNames.isDnsSubdomain(name)) {
      add(field + ".name", DNS_SUBDOMAIN_RULE + ", got " + quote(name));
    }
    SecretKeys keys = secret.getKeys() != null ? secret.getKeys() : new SecretKeys();
    secretKey(field + ".keys.database", keys.getDatabase());
    secretKey(field + ".keys.username", keys.getUsername());
    secretKey(field + ".keys.password", keys.getPassword());
  }

  private void secretKey(String field, String key) {
    if (!required(field, key) || !maxLength(field, key, MAX_SECRET_KEY)) {
      return;
    }
    if (!SECRET_KEY.matcher(key).matches()) {
      add(field, "must be a Secret key (letters, digits, '-', '_' and '.'), got " + quote(key));
    } else if (key.equals(".") || key.equals("..")) {
      // Kubernetes refuses these as Secret keys, so the Job's secretKeyRef could never resolve.
      add(field, "must not be . or ..");
    }
  }

  private void leader(LeaderDiscovery leader) {
    String field = "spec.database.leader";
    Map<String, String> selector = leader.getSelector();
    if (selector == null || selector.isEmpty()) {
      // An empty selector would match every pod of the namespace.
      add(field + ".selector", "needs at least one label, e.g. cluster-name: my-cluster");
    } else {
      selector(field + ".selector", selector);
    }
    String roleLabel = leader.getRoleLabel();
    if (roleLabel != null && !KubernetesNames.isLabelKey(roleLabel)) {
      add(field + ".roleLabel", "must be a label key like role or example.com/role, got " + quote(roleLabel));
    }
    List<String> roleValues = leader.getRoleValues();
    if (roleValues != null) {
      roleValues(field + ".roleValues", roleValues);
    }
  }

  private void selector(String field, Map<String, String> selector) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(selector.entrySet());
    entries.sort(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())));
    for (Map.Entry<String, String> entry : entries) {
      String key = entry.getKey();
      if (!KubernetesNames.isLabelKey(key)) {
        add(field, "key " + quote(key) + " is not a valid label key");
      }
      if (!KubernetesNames.isLabelValue(entry.getValue())) {
        add(field, "value " + quote(entry.getValue()) + " of key " + quote(key) + " " + LABEL_VALUE_RULE);
      }
    }
  }

  private void roleValues(String field, List<String> values) {
    if (values.isEmpty() || values.size() > MAX_ROLE_VALUES) {
      add(field, "must have 1 to " + MAX_ROLE_VALUES + " entries, got " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null || value.isEmpty()) {
        add(field + "[" + i + "]", "must not be empty");
      } else if (!KubernetesNames.isLabelValue(value)) {
        add(field + "[" + i + "]", quote(value) + " " + LABEL_VALUE_RULE);
      }
    }
  }

  private void host(String host) {
    String field = "spec.database.host";
    if (host.isEmpty()) {
      add(field, "must not be empty");
    } else if (maxLength(field, host, KubernetesNames.MAX_DNS_SUBDOMAIN) && !HOST.matcher(host).matches()) {
      add(field, "must be a host name or an IP address, got " + quote(host));
    }
  }

  private void env(EnvNames env) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("host", env.getHost());
    names.put("port", env.getPort());
    names.put("database", env.getDatabase());
    names.put("username", env.getUsername());
    names.put("password", env.getPassword());

    for (Map.Entry<String, String> entry : names.entrySet()) {
      String field = "spec.env." + entry.getKey();
      String name = entry.getValue();
      if (required(field, name) && maxLength(field, name, MAX_ENV_NAME) && !ENV_NAME.matcher(name).matches()) {
        add(field, "must be an environment variable name (letters, digits and '_', "
            + "not starting with a digit), got " + quote(name));
      }
    }
    // A second use of a name would silently overwrite the first variable in the container.
    Map<String, String> firstUser = new LinkedHashMap<>();
    names.forEach((use, name) -> {
      String other = name == null ? null : firstUser.putIfAbsent(name, use);
      if (other != null) {
        add("spec.env", other + " and " + use + " both use " + quote(name) + "; the five names must be distinct");
      }
    });
  }

  private void job(JobSettings job) {
    String field = "spec.job";
    if (job.getBackoffLimit() != null) {
      range(field + ".backoffLimit", job.getBackoffLimit(), 0, 10);
    }
    if (job.getActiveDeadlineSeconds() != null) {
      range(field + ".activeDeadlineSeconds", job.getActiveDeadlineSeconds(), 1, 604_800);
    }
    if (job.getTtlSecondsAfterFinished() != null) {
      range(field + ".ttlSecondsAfterFinished", job.getTtlSecondsAfterFinished(), 0, 2_592_000);
    }
    if (job.getResources() != null) {
      resources(field + ".resources", job.getResources());
    }
    String account = job.getServiceAccountName();
    if (account != null && !KubernetesNames.isDnsSubdomain(account)) {
      add(field + ".serviceAccountName", DNS_SUBDOMAIN_RULE + ", got " + quote(account));
    }
    List<LocalObjectReference> pullSecrets = job.getImagePullSecrets();
    if (pullSecrets == null) {
      return;
    }
    for (int i = 0; i < pullSecrets.size(); i++) {
      String entryField = field + ".imagePullSecrets[" + i + "].name";
      LocalObjectReference ref = pullSecrets.get(i);
      String name = ref == null ? null : ref.getName();
      if (required(entryField, name) && !KubernetesNames.isDnsSubdomain(name)) {
        add(entryField, DNS_SUBDOMAIN_RULE + ", got " + quote(name));
      }
    }
  }

  /**
   * What the API server checks when the Job is created: a refused Job would leave the resource
   * retrying without a word in its status.
   */
  private void resources(String field, ResourceRequirements resources) {
    Map<String, BigDecimal> limits = quantities(field + ".limits", resources.getLimits());
    Map<String, BigDecimal> requests = quantities(field + ".requests", resources.getRequests());
    requests.forEach((name, request) -> {
      BigDecimal limit = limits.get(name);
      if (limit != null && request.compareTo(limit) > 0) {
        add(field + ".requests." + name, "must not exceed the limit of " + name);
      }
    });
    if (resources.getClaims() != null && !resources.getClaims().isEmpty()) {
      add(field + ".claims", "are not supported: the Job's pod declares no resource claims");
    }
  }

  /** The valid quantities by resource name; a violation for each broken entry. */
  private Map<String, BigDecimal> quantities(String field, Map<String, Quantity> entries) {
    Map<String, BigDecimal> valid = new LinkedHashMap<>();
    if (entries == null) {
      return valid;
    }
    List<String> names = new ArrayList<>(entries.keySet());
    names.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
    for (String name : names) {
      if (!isResourceName(name)) {
        add(field, "key " + quote(name) + " is not a resource name (cpu, memory, "
            + "ephemeral-storage, hugepages-<size> or a domain-qualified name)");
        continue;
      }
      Quantity quantity = entries.get(name);
      String text = quantity == null ? "" : Objects.toString(quantity.getAmount(), "")
          + Objects.toString(quantity.getFormat(), "");
      BigDecimal amount = text.length() <= MAX_QUANTITY && QUANTITY.matcher(text).matches()
          ? amountOf(text) : null;
      if (amount == null) {
        add(field + "." + name, "must be a quantity such as 500m, 1, 128Mi or 1Gi, got " + quote(text));
      } else if (amount.signum() < 0) {
        add(field + "." + name, "must not be negative, got " + quote(text));
      } else {
        valid.put(name, amount);
      }
    }
    return valid;
  }

  private static BigDecimal amountOf(String text) {
    try {
      return Quantity.getAmountInBytes(Quantity.parse(text));
    } catch (ArithmeticException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isResourceName(String name) {
    if (name == null) {
      return false;
    }
    if (name.indexOf('/') >= 0) {
      return KubernetesNames.isLabelKey(name);
    }
    return name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")
        || (name.startsWith("hugepages-") && KubernetesNames.isLabelKey(name));
  }

  /** False (and a violation) when the value is missing or blank. */
  private boolean required(String field, String value) {
    if (value == null || value.isBlank()) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  /** False (and a violation) when the value is too long; callers then skip their regex. */
  private boolean maxLength(String field, String value, int max) {
    if (value.length() > max) {
      add(field, "must be at most " + max + " characters, got " + value.length());
      return false;
    }
    return true;
  }

  private void range(String field, Number value, long min, long max) {
    long number = value.longValue();
    if (number < min || number > max) {
      add(field, "must be between " + min + " and " + max + ", got " + number);
    }
  }

  private static boolean isControl(int c) {
    return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
        || c == 0x2028 || c == 0x2029;
  }

  private void add(String field, String message) {
    violations.add(new Violation(field, message));
  }
}
