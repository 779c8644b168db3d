package dev.dbmigration.operator.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Clients that hold nothing but a ServiceAccount's token, so a test proves what that account's
 * RBAC allows (the admin's certificate is left out; only the server and its CA are kept).
 */
public final class ServiceAccountClients {

  private ServiceAccountClients() {
  }

  public static KubernetesClient clientFor(KubernetesClient admin, String namespace,
      String serviceAccount) {
    String token = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
            .endSpec().build())
        .getStatus().getToken();
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("no token issued for " + namespace + "/" + serviceAccount);
    }
    Config adminConfig = Config.fromKubeconfig(KubeApiServerSupport.kubeConfigYaml());
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertData(adminConfig.getCaCertData())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withOauthToken(token)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
