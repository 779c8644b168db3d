package dev.dbmigration.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the operator process, from flags or the environment (flags win):
 * {@code --namespaces=a,b} / {@code WATCH_NAMESPACES} (empty: all namespaces) and
 * {@code --health-port=N} / {@code HEALTH_PORT} (default 8081, 0 picks a free port).
 */
public record OperatorSettings(Set<String> namespaces, int healthPort) {

  public static OperatorSettings parse(String[] args, Map<String, String> env) {
    String namespaces = env.getOrDefault("WATCH_NAMESPACES", "");
    String healthPort = env.getOrDefault("HEALTH_PORT", "8081");
    for (String arg : args) {
      if (arg.startsWith("--namespaces=")) {
        namespaces = arg.substring("--namespaces=".length());
      } else if (arg.startsWith("--health-port=")) {
        healthPort = arg.substring("--health-port=".length());
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg
            + " (expected --namespaces=a,b or --health-port=N)");
      }
    }
    Set<String> watched = Arrays.stream(namespaces.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    int port;
    try {
      port = Integer.parseInt(healthPort.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("health port is not a number: " + healthPort);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("health port out of range: " + port);
    }
    return new OperatorSettings(watched, port);
  }

  public boolean watchesAllNamespaces() {
    return namespaces.isEmpty();
  }
}
