package dev.dbmigration.operator.waiting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wait NAME [--namespace=NS] [--timeout=DURATION] [--image=IMAGE]}. The namespace
 * defaults to the pod's own (POD_NAMESPACE, or the mounted service-account namespace file), so
 * an init container needs only the resource's name. {@code --image} (or MIGRATION_IMAGE) is the
 * image the app runs: the wait then ends only once the migration run with that image succeeded,
 * not an earlier one.
 */
public record WaitArguments(String name, String namespace, Duration timeout, String image) {

  public static final String USAGE = "usage: wait NAME [--namespace=NS] [--timeout=90s|10m|1h]"
      + " [--image=IMAGE]";
  public static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  private static final Pattern DURATION = Pattern.compile("^([1-9][0-9]{0,6})([smh])$");
  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");

  public static WaitArguments parse(String[] args, Map<String, String> env, Path namespaceFile) {
    String name = null;
    String namespace = null;
    Duration timeout = null;
    String image = env.get("MIGRATION_IMAGE");
    for (String arg : args) {
      if (arg.startsWith("--namespace=")) {
        namespace = arg.substring("--namespace=".length());
      } else if (arg.startsWith("--timeout=")) {
        timeout = duration(arg.substring("--timeout=".length()));
      } else if (arg.startsWith("--image=")) {
        image = arg.substring("--image=".length());
      } else if (!arg.startsWith("-") && name == null) {
        name = arg;
      } else {
        throw new IllegalArgumentException("unexpected argument " + arg + "\n" + USAGE);
      }
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a DatabaseMigration name is required\n" + USAGE);
    }
    if (namespace == null) {
      namespace = env.get("POD_NAMESPACE");
    }
    if ((namespace == null || namespace.isBlank()) && Files.isReadable(namespaceFile)) {
      try {
        namespace = Files.readString(namespaceFile).trim();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read " + namespaceFile + ": " + e.getMessage());
      }
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("no namespace: pass --namespace= or set POD_NAMESPACE\n"
          + USAGE);
    }
    if (image != null && image.isBlank()) {
      image = null;
    }
    return new WaitArguments(name, namespace, timeout, image);
  }

  private static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("--timeout takes a number with s, m or h, got " + text);
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
