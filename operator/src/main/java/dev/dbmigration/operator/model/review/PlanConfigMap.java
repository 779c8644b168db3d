package dev.dbmigration.operator.model.review;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.model.job.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ConfigMap that keeps a resource's current plan: one per resource, {@code <name>-plan},
 * replaced by each new plan (so a resource rebuilt a hundred times keeps one, not a hundred),
 * owned by the resource so it goes with it.
 */
public final class PlanConfigMap {

  public static final String PLAN_KEY = "plan";
  public static final String DIGEST_KEY = "digest";
  public static final String RANGE_KEY = "range";
  private static final int MAX_NAME = 253;
  private static final String SUFFIX = "-plan";

  private PlanConfigMap() {
  }

  public static String name(DatabaseMigration dbm) {
    String name = dbm.getMetadata().getName().toLowerCase(Locale.ROOT);
    if (name.length() > MAX_NAME - SUFFIX.length()) {
      name = name.substring(0, MAX_NAME - SUFFIX.length()).replaceAll("[.-]+$", "");
    }
    return name + SUFFIX;
  }

  public static ConfigMap of(DatabaseMigration dbm, PlanContext context, PlanDocument document) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(PLAN_KEY, document.text());
    data.put(DIGEST_KEY, document.digest());
    data.put(RANGE_KEY, context.range());
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name(dbm))
        .withNamespace(dbm.getMetadata().getNamespace())
        .withLabels(Labels.ofRun(dbm, Labels.COMPONENT_PLAN))
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(HasMetadata.getApiVersion(DatabaseMigration.class))
            .withKind(HasMetadata.getKind(DatabaseMigration.class))
            .withName(dbm.getMetadata().getName())
            .withUid(dbm.getMetadata().getUid())
            .withController(true)
            .build())
        .endMetadata()
        .withData(data)
        .build();
  }

  /** Whether {@code existing} is this resource's own plan ConfigMap, to be replaced. */
  public static boolean isOwnedBy(ConfigMap existing, DatabaseMigration dbm) {
    return existing.getMetadata().getOwnerReferences() != null
        && existing.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> dbm.getMetadata().getUid() != null
                && dbm.getMetadata().getUid().equals(o.getUid()));
  }
}
