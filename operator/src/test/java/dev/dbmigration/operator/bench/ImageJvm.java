package dev.dbmigration.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM as the container image runs it, read from the image's own definition (the Jib
 * entrypoint and environment in a {@code pom.xml}), so the benchmark cannot drift from what users
 * run; and the container's memory limit, which a JVM outside a container must be told.
 *
 * @param flags the entrypoint's JVM flags (between {@code java} and {@code -cp})
 * @param environment the image's environment, but JAVA_HOME (a path inside the image)
 */
record ImageJvm(List<String> flags, Map<String, String> environment) {

  /** The memory limit of the Deployment (deploy/base) and of the chart's default values. */
  static final String CONTAINER_MEMORY = "512m";

  private static final Pattern ENTRYPOINT = Pattern.compile("<entrypoint>(.*?)</entrypoint>",
      Pattern.DOTALL);
  private static final Pattern ARG = Pattern.compile("<arg>(.*?)</arg>");
  private static final Pattern ENVIRONMENT = Pattern.compile("<environment>(.*?)</environment>",
      Pattern.DOTALL);
  private static final Pattern ENTRY = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>(.*?)</\\1>");

  static ImageJvm of(Path pom) throws IOException {
    String text = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
    Matcher entrypoint = ENTRYPOINT.matcher(text);
    if (!entrypoint.find()) {
      throw new IllegalStateException(pom + " has no Jib <entrypoint>");
    }
    List<String> flags = new ArrayList<>();
    Matcher arg = ARG.matcher(entrypoint.group(1));
    boolean first = true;
    while (arg.find()) {
      String value = arg.group(1).trim();
      if (first) {
        first = false;
      } else if (value.equals("-cp") || value.equals("-jar")) {
        break;
      } else {
        flags.add(value);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    Matcher environment = ENVIRONMENT.matcher(text);
    if (environment.find()) {
      Matcher entry = ENTRY.matcher(environment.group(1));
      while (entry.find()) {
        if (!entry.group(1).equals("JAVA_HOME")) {
          env.put(entry.group(1), entry.group(2).trim());
        }
      }
    }
    return new ImageJvm(List.copyOf(flags), Map.copyOf(env));
  }

  /**
   * The image's flags plus what the container tells a JVM inside it: its memory limit (outside a
   * container the JVM would size itself from the machine's memory), and the collector the JVM
   * picks under such a limit when the flags name none (Serial below 1792 MiB).
   */
  List<String> containerFlags() {
    List<String> all = new ArrayList<>(flags);
    all.add(0, "-XX:MaxRAM=" + CONTAINER_MEMORY);
    if (flags.stream().noneMatch(f -> f.matches("-XX:\\+Use\\w+GC"))) {
      all.add(1, "-XX:+UseSerialGC");
    }
    return all;
  }
}
