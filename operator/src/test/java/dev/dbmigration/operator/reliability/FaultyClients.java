package dev.dbmigration.operator.reliability;

import dev.dbmigration.operator.testing.KubeApiServerSupport;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.function.Consumer;

/** Clients of the shared test API server with a fault put into their HTTP path. */
final class FaultyClients {

  private FaultyClients() {
  }

  static KubernetesClient withInterceptor(Interceptor interceptor) {
    return build(config -> { }, interceptor);
  }

  /** A client whose requests go to {@code https://127.0.0.1:port} (a proxy) instead. */
  static KubernetesClient through(int port) {
    return build(config -> config.setMasterUrl("https://127.0.0.1:" + port), null);
  }

  private static KubernetesClient build(Consumer<Config> change, Interceptor interceptor) {
    Config config = Config.fromKubeconfig(KubeApiServerSupport.kubeConfigYaml());
    change.accept(config);
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    if (interceptor != null) {
      builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("fault", interceptor));
    }
    return builder.build();
  }
}
