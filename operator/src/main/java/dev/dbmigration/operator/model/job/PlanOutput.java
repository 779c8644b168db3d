package dev.dbmigration.operator.model.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a plan Job printed, read apart: for Alembic, the facts (heads, the offline rendering's
 * error) and the SQL between the markers alembic-plan.py prints after the engine's own log
 * lines; for an engine without markers, the whole output is the plan.
 *
 * @param heads the script directory's heads; empty when the engine has no such notion
 * @param error why the engine could not render the plan offline; null when it did
 * @param text the plan's text (the SQL)
 */
public record PlanOutput(List<String> heads, String error, String text) {

  private static final Pattern BEGIN = Pattern.compile(
      "(?m)^-----BEGIN DBMIGRATION PLAN (\\{.*})-----$");
  private static final String END = "\n-----END DBMIGRATION PLAN-----";

  public PlanOutput {
    heads = List.copyOf(heads);
  }

  /** The plan in {@code output}; empty when a marked plan is incomplete (a cut log). */
  public static Optional<PlanOutput> parse(String output, boolean marked) {
    if (!marked) {
      return Optional.of(new PlanOutput(List.of(), null, output));
    }
    Matcher begin = BEGIN.matcher(output);
    int start = -1;
    String facts = null;
    while (begin.find()) {
      start = begin.end();
      facts = begin.group(1);
    }
    int end = start < 0 ? -1 : output.indexOf(END, start);
    if (end < 0) {
      return Optional.empty();
    }
    String text = output.substring(start, end).replaceFirst("^\n", "");
    try {
      JsonNode node = Serialization.jsonMapper().readTree(facts);
      List<String> heads = new ArrayList<>();
      node.path("heads").forEach(h -> heads.add(h.asText()));
      JsonNode error = node.get("error");
      return Optional.of(new PlanOutput(heads, error == null || error.isNull() ? null
          : error.asText(), text));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
