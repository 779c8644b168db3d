package dev.dbmigration.operator.bench;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every HTTP request a fabric8 client sends, by method and path template (namespace and
 * object name replaced by placeholders). A GET carrying {@code watch=true} is counted as WATCH:
 * a watch is a long-lived stream, so it is neither a read nor a write.
 */
final class RequestCounter implements Interceptor {

  static final String WATCH = "WATCH";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    URI uri = request.uri();
    String kind = isWatch(uri.getRawQuery()) ? WATCH : request.method().toUpperCase();
    counts.computeIfAbsent(kind + " " + template(uri.getRawPath()), k -> new LongAdder())
        .increment();
  }

  /** The counts since the last call, which start again from zero. */
  synchronized Requests drain() {
    Map<String, Long> taken = new TreeMap<>();
    for (String key : counts.keySet()) {
      LongAdder adder = counts.get(key);
      long n = adder == null ? 0 : adder.sumThenReset();
      if (n > 0) {
        taken.put(key, n);
      }
    }
    return new Requests(taken);
  }

  private static boolean isWatch(String query) {
    if (query == null) {
      return false;
    }
    for (String param : query.split("&")) {
      if (param.equals("watch=true") || param.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }

  /** /api/v1/namespaces/x/pods/y/status -> /api/v1/namespaces/{ns}/pods/{name}/status */
  static String template(String path) {
    String[] s = path.split("/", -1);
    for (int i = 0; i < s.length; i++) {
      if (s[i].equals("namespaces")) {
        if (i + 1 < s.length) {
          s[i + 1] = "{ns}";
        }
        if (i + 3 < s.length) {
          s[i + 3] = "{name}";
        }
        break;
      }
    }
    return String.join("/", s);
  }

  /** Requests by "METHOD /path/template"; METHOD is WATCH for watch requests. */
  record Requests(Map<String, Long> byKey) {

    long watches() {
      return sum(k -> k.startsWith(WATCH + " "));
    }

    long reads() {
      return sum(k -> k.startsWith("GET "));
    }

    long writes() {
      return sum(k -> k.startsWith("POST ") || k.startsWith("PUT ") || k.startsWith("PATCH ")
          || k.startsWith("DELETE "));
    }

    long total() {
      return sum(k -> true);
    }

    private long sum(java.util.function.Predicate<String> which) {
      return byKey.entrySet().stream().filter(e -> which.test(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }

    Requests plus(Requests other) {
      Map<String, Long> sum = new TreeMap<>(byKey);
      other.byKey.forEach((k, v) -> sum.merge(k, v, Long::sum));
      return new Requests(sum);
    }

    /** "POST /apis/batch/v1/namespaces/{ns}/jobs × 1000; PATCH ... × 2000", most first. */
    String describe() {
      if (byKey.isEmpty()) {
        return "none";
      }
      StringBuilder out = new StringBuilder();
      byKey.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> out.append(out.length() == 0 ? "" : "; ").append(e.getKey())
              .append(" × ").append(e.getValue()));
      return out.toString();
    }
  }
}
