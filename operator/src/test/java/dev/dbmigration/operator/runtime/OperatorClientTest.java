package dev.dbmigration.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

class OperatorClientTest {

  private static final String POD = """
      {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "patroni-0", "namespace": "pr-1", "resourceVersion": "12",
         "labels": {"role": "master"},
         "managedFields": [{"manager": "patroni", "operation": "Update", "apiVersion": "v1",
           "fieldsType": "FieldsV1",
           "fieldsV1": {"f:metadata": {"f:annotations": {".": {}, "f:status": {}}}}}]},
       "status": {"phase": "Running", "podIP": "10.0.0.5"}}
      """;

  @Test
  void objectsAreReadWithoutTheirManagedFields() {
    try (KubernetesClient client = OperatorClient.builder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
            .build()).build()) {
      Pod pod = client.getKubernetesSerialization().unmarshal(POD, Pod.class);

      assertThat(pod.getMetadata().getManagedFields()).isNullOrEmpty();
      assertThat(pod.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
      assertThat(pod.getMetadata().getLabels()).containsEntry("role", "master");
      assertThat(pod.getStatus().getPodIP()).isEqualTo("10.0.0.5");
      assertThat(client.getKubernetesSerialization().asJson(pod)).doesNotContain("managedFields")
          .contains("\"resourceVersion\":\"12\"");
    }
  }
}
