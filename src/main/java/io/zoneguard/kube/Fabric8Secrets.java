package io.zoneguard.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.domain.Secret;
import io.zoneguard.port.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** {@link Secrets} through fabric8: {@code data} (base64) first, then {@code stringData}. */
public final class Fabric8Secrets implements Secrets {
  private final KubernetesClient client;

  public Fabric8Secrets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Secret> value(String namespace, String secret, String key) {
    var s =
        Kube.call(
            "get secret " + namespace + "/" + secret,
            () -> client.secrets().inNamespace(namespace).withName(secret).get());
    if (s == null) {
      return Optional.empty();
    }
    String b64 = s.getData() == null ? null : s.getData().get(key);
    if (b64 != null) {
      return Optional.of(
          Secret.of(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8)));
    }
    String plain = s.getStringData() == null ? null : s.getStringData().get(key);
    return Optional.ofNullable(plain).map(Secret::of);
  }
}
