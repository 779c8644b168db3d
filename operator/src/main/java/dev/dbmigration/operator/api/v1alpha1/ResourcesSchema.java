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
 * <p>Only cpu, memory and ephemeral-storage: a migration needs no other, and the others come with
 * rules of their own (hugepages and extended resources want whole numbers and requests equal to
 * their limits) that would cost more CEL budget than they are worth.
 *
 * <p>A quantity is an integer or a string in the schema (int-or-string), so the rules read it as
 * {@code string(value)} before they parse it with the Kubernetes CEL quantity library. The API
 * server estimates such a value as long as a whole request, so each parse is expensive in its
 * cost estimate: the three names bound how often a rule parses.
 */
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || " + ResourcesSchema.NAMES
    + ".all(n, !(n in self.requests) || !(n in self.limits) "
    + "|| !isQuantity(string(self.requests[n])) || !isQuantity(string(self.limits[n])) "
    + "|| !quantity(string(self.requests[n])).isGreaterThan(quantity(string(self.limits[n]))))",
    message = "a request must not exceed the limit of the same resource",
    fieldPath = ".requests", reason = "FieldValueInvalid")
final class ResourcesSchema {

  static final String NAMES = "['cpu', 'memory', 'ephemeral-storage']";

  private static final String NAMES_RULE = "self.all(k, k in " + NAMES + ")";
  private static final String NAMES_MESSAGE =
      "the resources a migration container may name are cpu, memory and ephemeral-storage";
  // && absorbs the error of quantity() on a value isQuantity already refused.
  private static final String QUANTITIES_RULE = "self.all(k, isQuantity(string(self[k])) "
      + "&& !quantity(string(self[k])).isLessThan(quantity('0')))";
  private static final String QUANTITIES_MESSAGE =
      "every value must be a quantity that is not negative, such as 500m, 1, 128Mi or 1Gi";

  @Size(max = 3)
  @ValidationRule(value = NAMES_RULE, message = NAMES_MESSAGE)
  @ValidationRule(value = QUANTITIES_RULE, message = QUANTITIES_MESSAGE)
  @JsonProperty
  private Map<String, Quantity> limits;

  @Size(max = 3)
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
