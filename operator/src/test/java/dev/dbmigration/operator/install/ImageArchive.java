package dev.dbmigration.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A docker-archive image tarball (what {@code jib:buildTar} writes, what {@code podman load}
 * reads): manifest.json naming the config and the gzipped layers, read the way a container
 * runtime reads them, lower layers first.
 */
final class ImageArchive {

  /** One path of the image's filesystem, as the topmost layer holding it left it. */
  record Entry(String path, boolean directory, int mode, long uid, long gid, long size) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> repoTags;
  private final JsonNode config;
  private final List<String> layers;
  private final Map<String, byte[]> blobs;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private ImageArchive(List<String> repoTags, JsonNode config, List<String> layers,
      Map<String, byte[]> blobs) {
    this.repoTags = repoTags;
    this.config = config;
    this.layers = layers;
    this.blobs = blobs;
  }

  static ImageArchive read(Path tarball) {
    Map<String, byte[]> blobs = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          blobs.put(e.getName(), tar.readAllBytes());
        }
      }
      JsonNode manifest = JSON.readTree(blobs.get("manifest.json")).get(0);
      List<String> tags = new ArrayList<>();
      manifest.get("RepoTags").forEach(t -> tags.add(t.asText()));
      List<String> layers = new ArrayList<>();
      manifest.get("Layers").forEach(l -> layers.add(l.asText()));
      JsonNode config = JSON.readTree(blobs.get(manifest.get("Config").asText()));
      return new ImageArchive(tags, config, layers, blobs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tarball, e);
    }
  }

  List<String> repoTags() {
    return repoTags;
  }

  /** The runtime configuration: User, Entrypoint, Cmd, Env, WorkingDir. */
  JsonNode containerConfig() {
    return config.get("config");
  }

  List<String> strings(String field) {
    List<String> values = new ArrayList<>();
    JsonNode node = containerConfig().get(field);
    if (node != null && !node.isNull()) {
      node.forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  /** The Env entries as a map. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : strings("Env")) {
      int eq = pair.indexOf('=');
      env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return env;
  }

  long compressedLayerBytes() {
    return layers.stream().mapToLong(l -> blobs.get(l).length).sum();
  }

  /**
   * Unpacks every layer into {@code root} (files with their modes, all owned by whoever runs the
   * test, which is what a runtime does too when it maps the layers' uid 0) and records the
   * entries. Returns them by absolute path.
   */
  Map<String, Entry> extractTo(Path root) {
    entries.clear();
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, permissions(0755));
      for (String layer : layers) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
            new GZIPInputStream(new java.io.ByteArrayInputStream(blobs.get(layer))))) {
          for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            extract(root, tar, e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the image's layers", e);
    }
    return entries;
  }

  private void extract(Path root, InputStream in, TarArchiveEntry e) throws IOException {
    String path = "/" + e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "")
        .replaceFirst("/$", "");
    Path target = root.resolve(path.substring(1)).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("layer entry outside the root: " + e.getName());
    }
    if (e.isDirectory()) {
      Files.createDirectories(target);
    } else if (e.isFile()) {
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } else {
      throw new IOException("unexpected layer entry type (links, devices): " + e.getName());
    }
    Files.setPosixFilePermissions(target, permissions(e.getMode()));
    entries.put(path, new Entry(path, e.isDirectory(), e.getMode() & 07777, e.getLongUserId(),
        e.getLongGroupId(), e.getSize()));
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

}
