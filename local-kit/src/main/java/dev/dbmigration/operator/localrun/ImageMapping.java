package dev.dbmigration.operator.localrun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which local directory stands for an image's filesystem root. Only the working directory is
 * taken from it: the command itself is looked up on the host, through the process's PATH.
 */
public final class ImageMapping {

  private final Map<String, Path> roots;
  private final Path defaultRoot;
  private final Map<String, List<String>> entrypoints;

  /**
   * @param roots image reference, exactly as the Job names it, to directory
   * @param defaultRoot directory for every other image, or null to refuse them
   */
  public ImageMapping(Map<String, Path> roots, Path defaultRoot) {
    this(roots, defaultRoot, Map.of());
  }

  private ImageMapping(Map<String, Path> roots, Path defaultRoot,
      Map<String, List<String>> entrypoints) {
    Map<String, Path> copy = new LinkedHashMap<>();
    Objects.requireNonNull(roots, "roots").forEach((image, dir) ->
        copy.put(Objects.requireNonNull(image, "image"), absolute(dir)));
    this.roots = Map.copyOf(copy);
    this.defaultRoot = defaultRoot == null ? null : absolute(defaultRoot);
    this.entrypoints = Map.copyOf(entrypoints);
  }

  /**
   * This mapping, with {@code image}'s ENTRYPOINT standing as {@code command} on this machine
   * (for a container that gives only args, such as the operator's own image in a migration
   * pod's lock sidecar). Such an image runs in the directory the JVM runs in.
   */
  public ImageMapping withEntrypoint(String image, List<String> command) {
    Map<String, List<String>> more = new LinkedHashMap<>(entrypoints);
    more.put(Objects.requireNonNull(image, "image"), List.copyOf(command));
    Map<String, Path> moreRoots = new LinkedHashMap<>(roots);
    moreRoots.putIfAbsent(image, Path.of(""));
    return new ImageMapping(moreRoots, defaultRoot, more);
  }

  /** The command standing for {@code image}'s ENTRYPOINT; empty when it has none here. */
  public List<String> entrypointFor(String image) {
    return image == null ? List.of() : entrypoints.getOrDefault(image, List.of());
  }

  /** Only the listed images; any other fails its Job. */
  public static ImageMapping of(Map<String, Path> roots) {
    return new ImageMapping(roots, null);
  }

  /** Every image to the same directory. */
  public static ImageMapping allTo(Path root) {
    return new ImageMapping(Map.of(), root);
  }

  public Path rootFor(String image) throws JobStartException {
    Path root = image == null ? null : roots.get(image);
    if (root == null) {
      root = defaultRoot;
    }
    if (root == null) {
      throw new JobStartException("image " + image + " is not mapped to a local directory");
    }
    if (!Files.isDirectory(root)) {
      throw new JobStartException("directory " + root + " for image " + image + " does not exist");
    }
    return root;
  }

  /**
   * The job's workingDir inside the image's root when it exists there; otherwise the root, as a
   * developer's checkout rarely mirrors the image's layout.
   */
  public Path workingDirFor(String image, String jobWorkingDir) throws JobStartException {
    Path root = rootFor(image);
    if (jobWorkingDir == null || jobWorkingDir.isBlank()) {
      return root;
    }
    String relative = jobWorkingDir.replaceFirst("^/+", "");
    Path candidate = root.resolve(relative).normalize();
    // A "../.." workingDir must not lead out of the directory standing for the image.
    if (candidate.startsWith(root) && Files.isDirectory(candidate)) {
      return candidate;
    }
    return root;
  }

  private static Path absolute(Path dir) {
    return Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }
}
