package dev.dbmigration.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PromQlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "up | up",
      "max by (namespace) (dbmigration_migrations_phase{job=\"x\", phase=\"Failed\"}) > 0"
          + " | dbmigration_migrations_phase",
      "absent(up{job=\"dmo-metrics\"} == 1) | up",
      "sum(increase(a_total{namespace=~\"$namespace\"}[$__rate_interval])) or vector(0) | a_total",
      "histogram_quantile(0.95, sum by (le) (rate(d_seconds_bucket{job=~\"$job\"}[5m])))"
          + " | d_seconds_bucket",
      "sum(rate(s_sum[5m])) / on (le) group_left (x) sum(rate(s_count[5m])) | s_count s_sum",
      "m offset 5m > bool 1 unless on() n | m n",
      "sum without (pod) (x{a=\"{not a metric}\", b='by (y)'}) | x",
      "count(max by (namespace) (phase_gauge)) * 1e3 | phase_gauge",
      "rate(x[5m:1m]) + topk(3, y) | x y",
      "process_cpu_usage{job=~\"$job\"} | process_cpu_usage",
  })
  void readsTheMetricNamesOfAnExpression(String expr, String names) {
    assertThat(PromQl.metricNames(expr)).containsExactlyInAnyOrder(names.split(" "));
  }

  @Test
  void readsTheMetricOfAGrafanaLabelValuesQuery() {
    assertThat(PromQl.variableMetricNames(
        "label_values(dbmigration_migrations_phase{job=~\"$job\"}, namespace)"))
        .isEqualTo(Set.of("dbmigration_migrations_phase"));
    assertThat(PromQl.variableMetricNames("label_values(dbmigration_operator_leader, job)"))
        .isEqualTo(Set.of("dbmigration_operator_leader"));
  }

  @Test
  void readsTheLabelsOfASeriesSelector() {
    assertThat(PromQl.selectorLabels("m{job=\"j\", namespace=\"wps-pr-1\", phase=\"Failed\"}"))
        .isEqualTo(Map.of("job", "j", "namespace", "wps-pr-1", "phase", "Failed"));
    assertThat(PromQl.selectorLabels("up")).isEmpty();
  }
}
