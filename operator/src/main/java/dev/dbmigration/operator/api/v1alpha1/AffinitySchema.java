package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * The schema of {@code spec.job.affinity}; the Java field stays fabric8's Affinity. Kubernetes'
 * own rules for node and pod (anti-)affinity, held at apply time: operators and their values,
 * label keys and values, weights, topology keys. Every list is bounded, which keeps the API
 * server's cost estimate of the rules in budget.
 */
final class AffinitySchema {

  static final int MAX_TERMS = 8;
  static final int MAX_VALUES = 16;

  @JsonProperty
  private NodeAffinity nodeAffinity;

  @JsonProperty
  private PodAffinity podAffinity;

  @JsonProperty
  private PodAffinity podAntiAffinity;

  private AffinitySchema() {
  }

  static final class NodeAffinity {
    @JsonProperty
    private NodeSelector requiredDuringSchedulingIgnoredDuringExecution;

    @Size(max = MAX_TERMS)
    @JsonProperty
    private List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution;
  }

  static final class NodeSelector {
    @Required
    @Size(min = 1, max = MAX_TERMS)
    @JsonProperty
    private List<NodeSelectorTerm> nodeSelectorTerms;
  }

  static final class PreferredSchedulingTerm {
    @Required
    @Min(1)
    @Max(100)
    @JsonProperty
    private Integer weight;

    @Required
    @JsonProperty
    private NodeSelectorTerm preference;
  }

  static final class NodeSelectorTerm {
    @Size(max = MAX_TERMS)
    @JsonProperty
    private List<NodeRequirement> matchExpressions;

    @Size(max = MAX_TERMS)
    @JsonProperty
    private List<FieldRequirement> matchFields;
  }

  /** A node label requirement; Gt and Lt compare one integer. */
  @ValidationRule(value = "!(self.operator in ['In', 'NotIn']) || (has(self.values) "
      + "&& size(self.values) > 0)", message = "operators In and NotIn need values")
  @ValidationRule(value = "!(self.operator in ['Exists', 'DoesNotExist']) || !has(self.values) "
      + "|| size(self.values) == 0", message = "operators Exists and DoesNotExist take no values")
  @ValidationRule(value = "!(self.operator in ['Gt', 'Lt']) || (has(self.values) "
      + "&& size(self.values) == 1 && self.values[0].matches('^-?[0-9]{1,18}$'))",
      message = "operators Gt and Lt need exactly one integer value")
  static final class NodeRequirement {
    @Required
    @Size(min = 1, max = LeaderDiscovery.MAX_LABEL_KEY)
    @Pattern(Syntax.LABEL_KEY)
    @JsonProperty
    private String key;

    @Required
    @JsonProperty
    private NodeOperator operator;

    @Size(max = MAX_VALUES)
    @JsonProperty
    private List<@Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> values;
  }

  enum NodeOperator { In, NotIn, Exists, DoesNotExist, Gt, Lt }

  /** Kubernetes selects nodes by one field only: metadata.name, with In or NotIn and one name. */
  static final class FieldRequirement {
    @Required
    @JsonProperty
    private NodeField key;

    @Required
    @JsonProperty
    private FieldOperator operator;

    @Required
    @Size(min = 1, max = 1)
    @JsonProperty
    private List<@Size(min = 1, max = 253) @Pattern(Syntax.DNS_SUBDOMAIN) String> values;
  }

  enum NodeField {
    @JsonProperty("metadata.name")
    METADATA_NAME
  }

  enum FieldOperator { In, NotIn }

  static final class PodAffinity {
    @Size(max = MAX_TERMS)
    @JsonProperty
    private List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution;

    @Size(max = MAX_TERMS)
    @JsonProperty
    private List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution;
  }

  static final class WeightedPodAffinityTerm {
    @Required
    @Min(1)
    @Max(100)
    @JsonProperty
    private Integer weight;

    @Required
    @JsonProperty
    private PodAffinityTerm podAffinityTerm;
  }

  static final class PodAffinityTerm {
    @JsonProperty
    private LabelSelector labelSelector;

    @JsonProperty
    private LabelSelector namespaceSelector;

    @Size(max = MAX_VALUES)
    @JsonProperty
    private List<@Size(min = 1, max = 63) @Pattern(Syntax.DNS_LABEL) String> namespaces;

    @Required
    @Size(min = 1, max = LeaderDiscovery.MAX_LABEL_KEY)
    @Pattern(Syntax.LABEL_KEY)
    @JsonProperty
    private String topologyKey;
  }

  static final class LabelSelector {
    @Size(max = MAX_VALUES)
    @ValidationRule(value = "self.all(k, k.matches('" + Syntax.LABEL_KEY + "') "
        + "&& k.indexOf('/') <= 253)", message = "every key must be a label key")
    @JsonProperty
    private Map<String, @Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> matchLabels;

    @Size(max = MAX_TERMS)
    @JsonProperty
    private List<LabelRequirement> matchExpressions;
  }

  @ValidationRule(value = "!(self.operator in ['In', 'NotIn']) || (has(self.values) "
      + "&& size(self.values) > 0)", message = "operators In and NotIn need values")
  @ValidationRule(value = "!(self.operator in ['Exists', 'DoesNotExist']) || !has(self.values) "
      + "|| size(self.values) == 0", message = "operators Exists and DoesNotExist take no values")
  static final class LabelRequirement {
    @Required
    @Size(min = 1, max = LeaderDiscovery.MAX_LABEL_KEY)
    @Pattern(Syntax.LABEL_KEY)
    @JsonProperty
    private String key;

    @Required
    @JsonProperty
    private LabelOperator operator;

    @Size(max = MAX_VALUES)
    @JsonProperty
    private List<@Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> values;
  }

  enum LabelOperator { In, NotIn, Exists, DoesNotExist }
}
