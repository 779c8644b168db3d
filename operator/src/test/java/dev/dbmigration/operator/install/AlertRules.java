package dev.dbmigration.operator.install;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The chart's alert rules: its PrometheusRule rendered with {@code metrics.prometheusRule} on,
 * and its {@code spec} as the rule file promtool and Prometheus read ({@code groups: ...}).
 */
public final class AlertRules {

  /** promtool's unit tests of the rules; they name the rule file {@link #RULE_FILE}. */
  public static final Path TESTS =
      Path.of("operator/src/test/prometheus/database-migration-operator-alerts-test.yaml");
  public static final String RULE_FILE = "database-migration-operator-alerts.yaml";

  private AlertRules() {
  }

  /** The rule file the chart's defaults make (release {@value Chart#RELEASE}). */
  public static String ruleFile() {
    return ruleFile(Map.of());
  }

  static String ruleFile(Map<String, Object> prometheusRuleValues) {
    Map<String, Object> values = new java.util.HashMap<>(prometheusRuleValues);
    values.put("enabled", true);
    GenericKubernetesResource rule = prometheusRule(
        Chart.template(Map.of("metrics", Map.of("prometheusRule", values))));
    return Serialization.asYaml(rule.getAdditionalProperties().get("spec"));
  }

  /** Every alert's PromQL expression, as the defaults render it. */
  public static List<String> expressions() {
    return rules(prometheusRule(Chart.template(Map.of("metrics",
        Map.of("prometheusRule", Map.of("enabled", true)))))).stream()
        .map(r -> (String) r.get("expr")).toList();
  }

  static GenericKubernetesResource prometheusRule(List<HasMetadata> objects) {
    List<GenericKubernetesResource> found = objects.stream()
        .filter(o -> o.getKind().equals("PrometheusRule"))
        .map(GenericKubernetesResource.class::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one PrometheusRule, found " + found.size());
    }
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules(GenericKubernetesResource prometheusRule) {
    Map<String, Object> spec = (Map<String, Object>) prometheusRule.getAdditionalProperties()
        .get("spec");
    return ((List<Map<String, Object>>) spec.get("groups")).stream()
        .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
  }

  /** The {@code series} of every input of promtool's tests. */
  @SuppressWarnings("unchecked")
  public static List<String> testInputSeries() {
    try {
      Map<String, Object> tests = Serialization.unmarshal(Files.readString(TESTS), Map.class);
      return ((List<Map<String, Object>>) tests.get("tests")).stream()
          .flatMap(t -> ((List<Map<String, Object>>) t.get("input_series")).stream())
          .map(s -> (String) s.get("series")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
