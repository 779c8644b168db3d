package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import java.util.List;
import java.util.Map;

/**
 * The schema of {@code spec.job.resources}; the Java field stays fabric8's ResourceRequirements.
 * It refuses at apply time what the API server would refuse in the Job's pod (a refused Job would
 * leave the resource retrying), and every quantity it lets through is one fabric8 reads: its
 * parser throws only on the empty string, which isQuantity refuses.
 *
 * <p>A quantity is an integer or a string in the schema (int-or-string), so the rules read it as
 * {@code string(value)} before they parse it with the Kubernetes CEL quantity library.
 */
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || "
    + "['cpu', 'memory', 'ephemeral-storage'].all(n, !(n in self.requests) || !(n in self.limits) "
    + "|| !isQuantity(string(self.requests[n])) || !isQuantity(string(self.limits[n])) "
    + "|| !quantity(string(self.requests[n])).isGreaterThan(quantity(string(self.limits[n]))))",
    message = "a request of cpu, memory or ephemeral-storage must not exceed its limit",
    fieldPath = ".requests", reason = "FieldValueInvalid")
final class ResourcesSchema {

  /**
   * Most resources a map may name (cpu, memory, ephemeral-storage, hugepages, a few extended
   * ones); bounds the API server's cost estimate of the rules that run once per entry.
   */
  static final int MAX_RESOURCES = 8;

  private static final String NAMES_RULE = "self.all(k, k.matches('" + Syntax.RESOURCE_NAME + "'))";
  private static final String NAMES_MESSAGE = "every key must be a resource name: cpu, memory, "
      + "ephemeral-storage, hugepages-<size> or a domain-qualified name such as example.com/gpu";
  // One parse per entry: the API server estimates a quantity as long as a whole request, so a
  // second (quantity(...).isLessThan) would double a cost already at half the budget. A
  // quantity's sign can only be its first character.
  private static final String QUANTITIES_RULE =
      "self.all(k, isQuantity(string(self[k])) && !string(self[k]).startsWith('-'))";
  private static final String QUANTITIES_MESSAGE =
      "every value must be a quantity that is not negative, such as 500m, 1, 128Mi or 1Gi";

  @Size(max = MAX_RESOURCES)
  @ValidationRule(value = NAMES_RULE, message = NAMES_MESSAGE)
  @ValidationRule(value = QUANTITIES_RULE, message = QUANTITIES_MESSAGE)
  @JsonProperty
  private Map<String, Quantity> limits;

  @Size(max = MAX_RESOURCES)
  @ValidationRule(value = NAMES_RULE, message = NAMES_MESSAGE)
  @ValidationRule(value = QUANTITIES_RULE, message = QUANTITIES_MESSAGE)
  @JsonProperty
  private Map<String, Quantity> requests;

  @ValidationRule(value = "size(self) == 0",
      message = "resource claims are not supported: the Job's pod declares none")
  @JsonProperty
  private List<ResourceClaim> claims;

  private ResourcesSchema() {
  }
}
