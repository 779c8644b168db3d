package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Deployments and StatefulSets that resources follow with {@code imageFrom}: a rollout of a
 * new image wakes the resources that name the workload, whose next run then uses that image.
 */
final class Workloads {

  private static final String INDEX = "image-from";

  private final PrunedInformers<Deployment> deployments;
  private final PrunedInformers<StatefulSet> statefulSets;

  Workloads(EventSourceContext<DatabaseMigration> ctx) {
    ctx.getPrimaryCache().addIndexer(INDEX, dbm -> {
      ImageSource source = dbm.getSpec() == null ? null : dbm.getSpec().getImageFrom();
      if (source == null || source.getName() == null) {
        return List.of();
      }
      return List.of(key(dbm.getMetadata().getNamespace(), kindOf(source), source.getName()));
    });
    KubernetesClient client = ctx.getClient();
    // A rollout's status changes (replicas becoming ready) leave the pruned form, the
    // containers' images, as it was: they wake nothing.
    deployments = new PrunedInformers<>("deployments", Deployment.class, ctx,
        ns -> ns == null ? client.apps().deployments().inAnyNamespace()
            : client.apps().deployments().inNamespace(ns),
        CachedForms::deployment, d -> following(ctx, WorkloadKind.Deployment,
            d.getMetadata().getNamespace(), d.getMetadata().getName()), false);
    statefulSets = new PrunedInformers<>("statefulsets", StatefulSet.class, ctx,
        ns -> ns == null ? client.apps().statefulSets().inAnyNamespace()
            : client.apps().statefulSets().inNamespace(ns),
        CachedForms::statefulSet, s -> following(ctx, WorkloadKind.StatefulSet,
            s.getMetadata().getNamespace(), s.getMetadata().getName()), false);
  }

  PrunedInformers<Deployment> deployments() {
    return deployments;
  }

  PrunedInformers<StatefulSet> statefulSets() {
    return statefulSets;
  }

  /**
   * The followed workload's pod template from the cache (its containers' names and images);
   * null when it does not exist.
   */
  PodTemplateSpec podTemplate(String namespace, ImageSource source) {
    ResourceID id = new ResourceID(source.getName(), namespace);
    if (kindOf(source) == WorkloadKind.StatefulSet) {
      return statefulSets.get(id).map(s -> s.getSpec().getTemplate()).orElse(null);
    }
    return deployments.get(id).map(d -> d.getSpec().getTemplate()).orElse(null);
  }

  private static Set<ResourceID> following(EventSourceContext<DatabaseMigration> ctx,
      WorkloadKind kind, String namespace, String name) {
    return ctx.getPrimaryCache().byIndex(INDEX, key(namespace, kind, name)).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static WorkloadKind kindOf(ImageSource source) {
    return source.kindOrDefault();
  }

  private static String key(String namespace, WorkloadKind kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }
}
