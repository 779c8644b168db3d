package dev.dbmigration.operator.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Kubernetes client the operator runs on. Its one difference from a default client: objects
 * it reads come without {@code metadata.managedFields}. The operator never looks at them (it
 * creates Jobs and writes status with plain requests, not server-side apply), yet they are the
 * largest part of most cached objects: a tree of maps per field manager, often larger than the
 * object's own spec. A write of an object read this way leaves the server's managedFields as they
 * are: the API server keeps them when a request carries none.
 */
public final class OperatorClient {

  private OperatorClient() {
  }

  public static KubernetesClientBuilder builder() {
    return new KubernetesClientBuilder().withKubernetesSerialization(new WithoutManagedFields());
  }

  private static final class WithoutManagedFields extends KubernetesSerialization {

    WithoutManagedFields() {
      super(new ObjectMapper(), true);
    }

    @Override
    protected void configureMapper(ObjectMapper mapper) {
      super.configureMapper(mapper);
      mapper.addMixIn(ObjectMeta.class, IgnoredOnRead.class);
    }
  }

  @JsonIgnoreProperties(value = "managedFields", allowGetters = true)
  private abstract static class IgnoredOnRead {
  }
}
