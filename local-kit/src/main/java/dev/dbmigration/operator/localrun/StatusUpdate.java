package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Read-modify-write of a status subresource. The status is replaced whole, so it is always
 * changed on a fresh copy, and a conflict means: read again and redo the change.
 */
final class StatusUpdate {

  private static final int ATTEMPTS = 5;

  private StatusUpdate() {
  }

  /**
   * Applies {@code change} to the current version of {@code object} and writes its status.
   * Empty when the object is gone (or was replaced by one of the same name), or when
   * {@code change} returns false because it no longer applies.
   */
  static <T extends HasMetadata> Optional<T> apply(KubernetesClient client, T object,
      Predicate<T> change) {
    String uid = object.getMetadata().getUid();
    for (int attempt = 1; ; attempt++) {
      T fresh = client.resource(object).get();
      if (fresh == null || !Objects.equals(uid, fresh.getMetadata().getUid())
          || !change.test(fresh)) {
        return Optional.empty();
      }
      try {
        return Optional.of(client.resource(fresh).updateStatus());
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return Optional.empty();
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The API's timestamp format: RFC 3339, whole seconds. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
