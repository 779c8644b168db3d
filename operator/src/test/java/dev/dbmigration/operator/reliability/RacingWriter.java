package dev.dbmigration.operator.reliability;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another writer that wins the race against the operator's next status writes: just before such a
 * write leaves, it changes the resource (an annotation) through its own client. The operator's
 * write carries the resourceVersion it read, now stale, and the API server answers 409 Conflict.
 */
final class RacingWriter implements Interceptor {

  private final KubernetesClient other;
  private final AtomicInteger toLose = new AtomicInteger();
  private final AtomicInteger conflicts = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();

  RacingWriter(KubernetesClient other) {
    this.other = other;
  }

  /** The next {@code count} status writes lose the race. */
  void beatNext(int count) {
    toLose.addAndGet(count);
  }

  /** 409 answers the API server gave to status writes. */
  int conflicts() {
    return conflicts.get();
  }

  /** Status writes the operator sent. */
  int writes() {
    return writes.get();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!CrashSwitch.isStatusWrite(request)) {
      return;
    }
    int write = writes.incrementAndGet();
    if (toLose.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
      return;
    }
    // .../namespaces/<namespace>/databasemigrations/<name>/status
    String[] path = request.uri().getPath().split("/");
    String namespace = path[path.length - 4];
    String name = path[path.length - 2];
    other.resources(DatabaseMigration.class).inNamespace(namespace).withName(name).edit(d -> {
      d.getMetadata().setAnnotations(new HashMap<>(d.getMetadata().getAnnotations() == null
          ? java.util.Map.of() : d.getMetadata().getAnnotations()));
      d.getMetadata().getAnnotations().put("test.dbmigration.dev/racing-write", "" + write);
      return d;
    });
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (CrashSwitch.isStatusWrite(request) && response.code() == 409) {
      conflicts.incrementAndGet();
    }
  }
}
