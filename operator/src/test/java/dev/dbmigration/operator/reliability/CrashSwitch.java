package dev.dbmigration.operator.reliability;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Kills an operator's link to the API server at a chosen step of its work: from that moment on
 * every request of its client goes to a closed port, so nothing it would still do reaches the
 * cluster — what a killed process leaves behind, decided at an exact request rather than a time.
 */
final class CrashSwitch implements Interceptor {

  /** Where in the run the operator dies. */
  enum Step {
    /** The Job's creation was answered 201; the Event and the status write never happen. */
    AFTER_JOB_CREATED,
    /** The Job and its Event exist; the first status write never leaves the process. */
    BEFORE_STATUS_WRITE,
    /** The first status write reached the API server; the operator never hears the answer. */
    DURING_STATUS_WRITE
  }

  private static final URI DEAD = URI.create("https://127.0.0.1:1");

  private final Step step;
  private final CountDownLatch crashed = new CountDownLatch(1);

  CrashSwitch(Step step) {
    this.step = step;
  }

  boolean awaitCrash(long seconds) throws InterruptedException {
    return crashed.await(seconds, TimeUnit.SECONDS);
  }

  private boolean isCrashed() {
    return crashed.getCount() == 0;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!isCrashed() && step == Step.BEFORE_STATUS_WRITE && isStatusWrite(request)) {
      crashed.countDown();
    }
    if (isCrashed()) {
      builder.uri(deadEnd(request.uri()));
    }
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (isCrashed() || !response.isSuccessful()) {
      return;
    }
    if (step == Step.AFTER_JOB_CREATED && isJobCreate(request)
        || step == Step.DURING_STATUS_WRITE && isStatusWrite(request)) {
      crashed.countDown();
    }
  }

  static boolean isStatusWrite(HttpRequest request) {
    String path = request.uri().getPath();
    return !"GET".equals(request.method()) && path.contains("/databasemigrations/")
        && path.endsWith("/status");
  }

  static boolean isJobCreate(HttpRequest request) {
    return "POST".equals(request.method()) && request.uri().getPath().endsWith("/jobs");
  }

  private static URI deadEnd(URI uri) {
    return DEAD.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
  }
}
