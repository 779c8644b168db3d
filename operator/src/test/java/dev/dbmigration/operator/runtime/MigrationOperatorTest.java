package dev.dbmigration.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.testing.PrometheusText;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationOperatorTest {

  /**
   * Main serves /metrics before it starts the operator; a scrape then must answer (the resource
   * gauges read an informer store that does not exist yet), with no API server in reach.
   */
  @Test
  void aScrapeBeforeTheOperatorStartedAnswersWithoutResourceGauges() {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:1").build()).build()) {
      MigrationOperator operator = new MigrationOperator(client, new OperatorSettings(Set.of(),
          8081));

      PrometheusText scrape = PrometheusText.parse("", operator.scrape());

      assertThat(scrape.value("dbmigration_operator_leader", Map.of())).contains(1.0);
      assertThat(scrape.has("dbmigration_migrations_phase")).isFalse();
    }
  }
}
