package dev.dbmigration.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the installed CRD is the one this operator was built with. The CRD is the validator:
 * the operator checks almost nothing of a spec itself, so an older CRD (one that Helm did not
 * upgrade, say) would let in what this version relies on the API server to refuse. The two
 * schemas of {@value DatabaseMigration#VERSION} are compared as JSON trees; a difference makes
 * the operator not ready, saying where and how to update, and is logged once as an error. The
 * operator goes on reconciling: its resources are no worse off than under the old operator.
 * While the answer is "stale" or unknown, asking for readiness checks again in the background
 * (at most every {@value #RECHECK_SECONDS} seconds), so that updating the CRD makes the operator
 * ready without a restart.
 *
 * <p>Reading the CRD takes {@code get} on that one CustomResourceDefinition. Where it is not
 * granted, the check is skipped with a warning: the operator works without it.
 */
public final class InstalledCrdCheck {

  public static final String CRD_NAME = HasMetadata.getPlural(DatabaseMigration.class) + "."
      + DatabaseMigration.GROUP;
  /** Where the build puts the CRD it generates from the API classes (and so into the jar). */
  static final String OWN_CRD = "/META-INF/fabric8/" + CRD_NAME + "-v1.yml";
  static final String UPDATE = "kubectl apply --server-side --force-conflicts -k crds/";
  private static final int MAX_SHOWN = 5;
  private static final long RECHECK_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(InstalledCrdCheck.class);

  /** What a check found. */
  public enum State {
    /** Not checked yet, or the last check could not read the CRD (a warning says why). */
    UNKNOWN,
    /** The installed schema is this operator's. */
    CURRENT,
    /** The installed schema differs from this operator's. */
    STALE,
    /** Reading the CRD is not granted: nothing to tell. */
    FORBIDDEN
  }

  private final KubernetesClient client;
  private final JsonNode own;
  private volatile State state = State.UNKNOWN;
  private volatile String problem;
  private volatile long checkedAt = System.nanoTime();
  private final AtomicBoolean rechecking = new AtomicBoolean();

  public InstalledCrdCheck(KubernetesClient client) {
    this(client, ownCrd(client));
  }

  InstalledCrdCheck(KubernetesClient client, CustomResourceDefinition own) {
    this.client = client;
    this.own = schemaOf(client, own);
    if (this.own == null) {
      throw new IllegalStateException(OWN_CRD + " has no version " + DatabaseMigration.VERSION);
    }
  }

  /** Reads the installed CRD and compares; logs what changed since the last check. */
  public synchronized State check() {
    checkedAt = System.nanoTime();
    State before = state;
    String found;
    try {
      found = problemWith(
          client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        if (before != State.FORBIDDEN) {
          LOG.warn("cannot read CustomResourceDefinition {} (get is not granted), so whether it "
              + "is the one this operator was built with is not checked; the install manifests "
              + "grant it", CRD_NAME);
        }
        state = State.FORBIDDEN;
      } else {
        unknown(before, e);
      }
      return state;
    } catch (RuntimeException e) {
      // A check that cannot be made must not keep the operator from its work.
      unknown(before, e);
      return state;
    }
    if (found == null) {
      if (before == State.STALE) {
        LOG.info("CustomResourceDefinition {} is now the one this operator was built with",
            CRD_NAME);
      }
      problem = null;
      state = State.CURRENT;
    } else {
      if (before != State.STALE) {
        LOG.error(found);
      }
      problem = found;
      state = State.STALE;
    }
    return state;
  }

  private void unknown(State before, RuntimeException e) {
    LOG.warn("could not read CustomResourceDefinition {} to compare it with this operator's "
        + "(tried again later): {}", CRD_NAME, e.getMessage());
    state = before == State.STALE ? State.STALE : State.UNKNOWN;
  }

  public State state() {
    return state;
  }

  /**
   * Why the operator is not ready, when the installed CRD is stale. Never waits for the API
   * server: a due check runs in the background, and a later call sees its answer.
   */
  public Optional<String> problem() {
    boolean settled = state == State.CURRENT || state == State.FORBIDDEN;
    if (!settled && System.nanoTime() - checkedAt > TimeUnit.SECONDS.toNanos(RECHECK_SECONDS)
        && rechecking.compareAndSet(false, true)) {
      CompletableFuture.runAsync(() -> {
        try {
          check();
        } finally {
          rechecking.set(false);
        }
      });
    }
    return state == State.STALE ? Optional.ofNullable(problem) : Optional.empty();
  }

  private String problemWith(CustomResourceDefinition installed) {
    String what = "the installed CustomResourceDefinition " + CRD_NAME;
    String fix = "; the API server then lets in resources this operator relies on it to refuse."
        + " Update it from this release: " + UPDATE + " (Helm never upgrades a chart's CRDs)";
    if (installed == null) {
      return what + " is missing" + fix;
    }
    JsonNode schema = schemaOf(client, installed);
    if (schema == null) {
      return what + " has no version " + DatabaseMigration.VERSION + fix;
    }
    List<String> differences = SchemaDiff.of(schema, own);
    if (differences.isEmpty()) {
      return null;
    }
    String shown = String.join(", ", differences.subList(0, Math.min(MAX_SHOWN,
        differences.size())));
    int more = differences.size() - MAX_SHOWN;
    return what + " is not the one this operator was built with: its "
        + DatabaseMigration.VERSION + " schema differs at " + shown
        + (more > 0 ? " and " + more + " more" : "") + fix;
  }

  /**
   * The version's schema as a JSON tree, read through fabric8's model on both sides, so that the
   * two spell numbers alike (the file says 65535.0 where the API server answers 65535).
   */
  private static JsonNode schemaOf(KubernetesClient client, CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().stream()
        .filter(v -> DatabaseMigration.VERSION.equals(v.getName()))
        .map(CustomResourceDefinitionVersion::getSchema)
        .filter(s -> s != null && s.getOpenAPIV3Schema() != null)
        .map(s -> client.getKubernetesSerialization().convertValue(s.getOpenAPIV3Schema(),
            JsonNode.class))
        .findFirst().orElse(null);
  }

  private static CustomResourceDefinition ownCrd(KubernetesClient client) {
    try (InputStream in = InstalledCrdCheck.class.getResourceAsStream(OWN_CRD)) {
      if (in == null) {
        throw new IllegalStateException(OWN_CRD + " is not on the class path");
      }
      return client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
