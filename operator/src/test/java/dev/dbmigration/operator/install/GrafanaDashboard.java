package dev.dbmigration.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chart's Grafana dashboard (files/), the JSON its ConfigMap carries. */
public final class GrafanaDashboard {

  static final Path FILE = Manifests.CHART.resolve("files/database-migrations-dashboard.json");

  private GrafanaDashboard() {
  }

  public static JsonNode json() {
    try {
      return Serialization.jsonMapper().readTree(Files.readString(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel target's PromQL expression (rows' nested panels included). */
  public static List<String> panelQueries() {
    List<String> queries = new ArrayList<>();
    collect(json().get("panels"), queries);
    return queries;
  }

  /** The queries of the template variables (Grafana's label_values(...) form). */
  public static List<String> variableQueries() {
    List<String> queries = new ArrayList<>();
    for (JsonNode variable : json().at("/templating/list")) {
      if ("query".equals(variable.path("type").asText())) {
        queries.add(variable.at("/query/query").asText());
      }
    }
    return queries;
  }

  private static void collect(JsonNode panels, List<String> queries) {
    if (panels == null) {
      return;
    }
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.get("expr").asText());
      }
      collect(panel.get("panels"), queries);
    }
  }
}
