package dev.dbmigration.operator.localrun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a bare command name on the PATH the process will get. ProcessBuilder would search the
 * runner's own PATH instead, which would make a PATH given to the process meaningless.
 */
final class ExecutableLookup {

  private ExecutableLookup() {
  }

  /**
   * The absolute path of {@code command} on {@code path}, or empty. A name with a slash is a path
   * (relative ones to the working directory) and is returned as it is.
   */
  static Optional<String> locate(String command, String path, Path workingDir) {
    if (command.contains("/")) {
      return Optional.of(command);
    }
    if (command.isEmpty() || path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(":", -1)) {
      // An empty PATH entry means the current directory, which is the working directory here.
      Path candidate = workingDir.resolve(dir.isEmpty() ? "." : dir).resolve(command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath().normalize().toString());
      }
    }
    return Optional.empty();
  }
}
