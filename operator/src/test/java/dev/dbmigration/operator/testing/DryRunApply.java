package dev.dbmigration.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Creates DatabaseMigrations with a server-side dry run: the API server defaults and validates
 * them as it would a real create, and stores nothing. Written as raw JSON, so that values no Java
 * type holds still reach the server.
 */
public final class DryRunApply {

  public static final ResourceDefinitionContext DBM = new ResourceDefinitionContext.Builder()
      .withGroup(DatabaseMigration.GROUP).withVersion(DatabaseMigration.VERSION)
      .withKind("DatabaseMigration").withPlural("databasemigrations").withNamespaced(true).build();

  private final KubernetesClient client;
  private final String namespace;

  public DryRunApply(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    if (client.namespaces().withName(namespace).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
          .build()).create();
    }
  }

  /** What the API server answered. */
  public record Answer(GenericKubernetesResource stored, KubernetesClientException refusal) {

    public boolean accepted() {
      return refusal == null;
    }

    /** The refusal's message, as kubectl would show it; empty when accepted. */
    public String message() {
      if (refusal == null) {
        return "";
      }
      return refusal.getStatus() != null && refusal.getStatus().getMessage() != null
          ? refusal.getStatus().getMessage() : String.valueOf(refusal.getMessage());
    }
  }

  public Answer create(JsonNode resource) {
    GenericKubernetesResource body = Serialization.unmarshal(resource.toString(),
        GenericKubernetesResource.class);
    try {
      return new Answer(client.genericKubernetesResources(DBM).inNamespace(namespace)
          .resource(body).dryRun().create(), null);
    } catch (KubernetesClientException e) {
      return new Answer(null, e);
    }
  }
}
