package dev.dbmigration.operator.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The node's own view of a pod's processes: the tests run on the single node, as root, so they
 * can do to a container's process what the kernel's OOM killer or a crash would.
 */
final class NodeProcesses {

  private NodeProcesses() {
  }

  /**
   * SIGKILLs the processes of the pod {@code podUid} whose command line contains
   * {@code command}; how many there were.
   */
  static int kill(String podUid, String command) throws IOException {
    int killed = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cgroups = Files.readString(proc.resolve("cgroup"));
          String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ').trim();
          if (cgroups.contains("pod" + podUid) && cmdline.contains(command)) {
            ProcessHandle.of(Long.parseLong(name)).ifPresent(ProcessHandle::destroyForcibly);
            killed++;
          }
        } catch (IOException gone) {
          // The process ended while it was looked at.
        }
      }
    }
    return killed;
  }
}
