package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a container's {@code env} into the process environment the way the kubelet does: in list
 * order, literal values expanded against the variables defined before them, Secret values taken
 * as they are. Pure: Secrets come through a {@link SecretLookup}.
 */
public final class EnvResolver {

  private final SecretLookup secrets;
  private final String podName;
  private final String podNamespace;

  public EnvResolver(SecretLookup secrets, String podName, String podNamespace) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.podName = Objects.requireNonNull(podName, "podName");
    this.podNamespace = Objects.requireNonNull(podNamespace, "podNamespace");
  }

  /**
   * The variables in definition order; a name defined twice keeps its first place and takes its
   * last value.
   */
  public Map<String, String> resolve(List<EnvVar> env) throws JobStartException {
    Map<String, String> resolved = new LinkedHashMap<>();
    if (env == null) {
      return resolved;
    }
    for (EnvVar var : env) {
      String name = var.getName();
      if (name == null || name.isEmpty()) {
        throw new JobStartException("an env entry has no name");
      }
      // As in the kubelet, a non-empty value wins over valueFrom.
      String value = var.getValue();
      if (value != null && !value.isEmpty()) {
        resolved.put(name, expand(value, resolved));
      } else if (var.getValueFrom() != null) {
        Optional<String> sourced = valueFrom(name, var.getValueFrom());
        if (sourced.isPresent()) {
          resolved.put(name, sourced.get());
        }
      } else {
        resolved.put(name, "");
      }
    }
    return resolved;
  }

  /**
   * Expands {@code $(VAR)} in a container's command and args against its resolved env, as the
   * kubelet does.
   */
  public static List<String> expandArgs(List<String> args, Map<String, String> env) {
    if (args == null) {
      return List.of();
    }
    Map<String, String> vars = env == null ? Collections.emptyMap() : env;
    return args.stream().map(arg -> expand(arg == null ? "" : arg, vars)).toList();
  }

  /**
   * Kubernetes' {@code $(VAR)} syntax (k8s.io/kubernetes third_party/forked/golang/expansion):
   * a defined VAR becomes its value, an undefined one stays {@code $(VAR)}, {@code $$} is an
   * escaped {@code $}, and any other {@code $} is kept. There is no other syntax: nothing here is
   * a shell.
   */
  static String expand(String input, Map<String, String> vars) {
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
        continue;
      }
      out.append(input, checkpoint, cursor);
      char next = input.charAt(cursor + 1);
      if (next == '(') {
        int close = input.indexOf(')', cursor + 2);
        if (close < 0) {
          // Unterminated reference: keep "$(" and go on reading after it.
          out.append("$(");
          cursor += 1;
        } else {
          String name = input.substring(cursor + 2, close);
          String value = vars.get(name);
          out.append(value != null ? value : "$(" + name + ")");
          cursor = close;
        }
      } else if (next == '$') {
        out.append('$');
        cursor += 1;
      } else {
        out.append('$').append(next);
        cursor += 1;
      }
      checkpoint = cursor + 1;
    }
    out.append(input, checkpoint, input.length());
    return out.toString();
  }

  private Optional<String> valueFrom(String name, EnvVarSource source) throws JobStartException {
    if (source.getSecretKeyRef() != null) {
      return fromSecret(name, source.getSecretKeyRef());
    }
    if (source.getFieldRef() != null) {
      return Optional.of(fromField(name, source.getFieldRef()));
    }
    if (source.getConfigMapKeyRef() != null) {
      throw unsupported(name, "valueFrom.configMapKeyRef");
    }
    if (source.getResourceFieldRef() != null) {
      throw unsupported(name, "valueFrom.resourceFieldRef");
    }
    throw unsupported(name, "this kind of valueFrom");
  }

  // optional=false is the API's default: a missing Secret or key keeps the container from starting.
  private Optional<String> fromSecret(String name, SecretKeySelector ref) throws JobStartException {
    String secret = ref.getName() == null ? "" : ref.getName();
    String key = ref.getKey() == null ? "" : ref.getKey();
    Optional<String> value = secret.isEmpty() || key.isEmpty()
        ? Optional.empty() : secrets.find(secret, key);
    if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
      throw new JobStartException("couldn't find key " + key + " in Secret " + podNamespace + "/"
          + secret + " (env " + name + ")");
    }
    return value;
  }

  private String fromField(String name, ObjectFieldSelector ref) throws JobStartException {
    String path = ref.getFieldPath() == null ? "" : ref.getFieldPath();
    switch (path) {
      case "metadata.name":
        return podName;
      case "metadata.namespace":
        return podNamespace;
      default:
        throw unsupported(name, "valueFrom.fieldRef " + path
            + " (only metadata.name and metadata.namespace are)");
    }
  }

  private static JobStartException unsupported(String name, String what) {
    return new JobStartException("env " + name + ": " + what
        + " is not supported by the local job runner");
  }
}
