package dev.dbmigration.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Install manifests (deploy/, the chart's output) read into fabric8 objects. */
final class Manifests {

  static final Path DEPLOY = Path.of("deploy");
  static final Path CHART = Path.of("helm", "database-migration-operator");
  static final Path CRDS = Path.of("crds");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {
  }

  /** Every object of a (multi-document) YAML text, empty documents left out. */
  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed == null) {
      return List.of();
    }
    if (parsed instanceof KubernetesList list) {
      return list.getItems();
    }
    if (parsed instanceof List<?> list) {
      return list.stream().filter(Objects::nonNull).map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  static List<HasMetadata> load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T extends HasMetadata> List<T> ofKind(Collection<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The one object of this kind; fails when there are none or several. */
  static <T extends HasMetadata> T single(Collection<HasMetadata> objects, Class<T> kind) {
    List<T> found = ofKind(objects, kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** The Role (and its binding) that lets the operator hold its Lease, by the name both use. */
  static boolean isLeaderElectionGrant(HasMetadata object) {
    return object.getMetadata().getName().endsWith("-leader-election");
  }

  /** Roles or bindings of this kind that grant work on resources (not the Lease). */
  static <T extends HasMetadata> List<T> workGrants(Collection<HasMetadata> objects,
      Class<T> kind) {
    return ofKind(objects, kind).stream().filter(o -> !isLeaderElectionGrant(o)).toList();
  }

  /** The one leader-election grant of this kind. */
  static <T extends HasMetadata> T leaderElectionGrant(Collection<HasMetadata> objects,
      Class<T> kind) {
    List<T> found = ofKind(objects, kind).stream().filter(Manifests::isLeaderElectionGrant)
        .toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one leader-election " + kind.getSimpleName()
          + ", found " + found.size());
    }
    return found.get(0);
  }

  static List<String> kinds(Collection<HasMetadata> objects) {
    return objects.stream().map(HasMetadata::getKind).sorted().toList();
  }

  /**
   * Rules as a set of "apiGroup resource verb" grants ("apiGroup resource verb name" for a rule
   * limited to names), so that two rule lists compare equal when they grant the same, however the
   * grants are grouped into rules.
   */
  static Set<String> grants(List<PolicyRule> rules) {
    return rules.stream().flatMap(rule -> {
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? List.of("") : rule.getResourceNames().stream().map(n -> " " + n).toList();
      return rule.getApiGroups().stream().flatMap(group -> rule.getResources().stream()
          .flatMap(resource -> rule.getVerbs().stream().flatMap(verb -> names.stream()
              .map(name -> (group.isEmpty() ? "core" : group) + " " + resource + " " + verb
                  + name))));
    }).collect(Collectors.toCollection(TreeSet::new));
  }
}
