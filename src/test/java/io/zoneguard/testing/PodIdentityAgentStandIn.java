package io.zoneguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * STAND-IN for the EKS Pod Identity Agent (test code; the real agent is a DaemonSet answering on
 * 169.254.170.23 and [fd00:ec2::23]). It answers like aws/eks-pod-identity-agent's {@code
 * pkg/handlers/eks_credential_handler.go} {@code HandleRequest}: GET /v1/credentials, the pod's
 * service account token in the Authorization header, a JSON body shaped as {@code
 * pkg/credentials/model.go} {@code EksCredentialsResponse} (AccessKeyId, SecretAccessKey, Token,
 * AccountId, Expiration in RFC 3339 with nanoseconds). As unkind as the agent: an empty token is
 * 400 "Service account token cannot be empty" ({@code internal/validation/request.go} {@code
 * validateToken}), a token other than the one projected for the pod is 403 "Access Denied." (the
 * agent asks EKS Auth, which refuses it; here the token file's content is the only valid token), a
 * Host other than its own address is 403 ({@code validateRequestTargetHost}).
 *
 * <p>It listens on loopback because the SDK's ContainerCredentialsProvider (2.57.8, {@code
 * ContainerCredentialsEndpointProvider#isAllowedHost}) accepts a plain-http FULL_URI only on
 * loopback, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23].
 */
public final class PodIdentityAgentStandIn implements AutoCloseable {
  public static final String ACCESS_KEY_ID = "ASIAPODIDENTITYSTANDIN";

  private final HttpServer server;
  private final Path tokenFile;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile boolean associated = true;

  public PodIdentityAgentStandIn(Path tokenFile) throws IOException {
    this.tokenFile = tokenFile;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/credentials", this::handle);
    server.start();
  }

  /** What a pod's AWS_CONTAINER_CREDENTIALS_FULL_URI would hold. */
  public URI fullUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/credentials");
  }

  /**
   * No Pod Identity association for the pod's ServiceAccount: EKS Auth answers
   * ResourceNotFoundException, which the agent passes on with its status ({@code
   * pkg/errors/errors.go} {@code HandleCredentialFetchingError}).
   */
  public PodIdentityAgentStandIn withoutAssociation() {
    associated = false;
    return this;
  }

  /** The Authorization header of every request, in order. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      String host = ex.getRequestHeaders().getFirst("Host");
      String self = "127.0.0.1:" + server.getAddress().getPort();
      if (!ex.getRequestMethod().equals("GET")) {
        reply(ex, 405, "text/plain", "Method Not Allowed");
      } else if (!self.equals(host)) {
        reply(
            ex,
            403,
            "text/plain",
            "Access Denied. Called agent through invalid address, please use " + self);
      } else if (auth == null || auth.isEmpty()) {
        reply(ex, 400, "text/plain", "Service account token cannot be empty");
      } else if (!auth.equals(Files.readString(tokenFile, StandardCharsets.UTF_8))) {
        reply(ex, 403, "text/plain", "Access Denied. (AccessDeniedException): invalid token");
      } else if (!associated) {
        reply(
            ex,
            404,
            "text/plain",
            "[standin-request]: (ResourceNotFoundException): No Pod Identity association found for"
                + " the service account, fault: client");
      } else {
        Instant expires = Instant.now().plus(Duration.ofHours(6)).plusNanos(123_456_789);
        reply(
            ex,
            200,
            "application/json",
            "{\"AccessKeyId\":\""
                + ACCESS_KEY_ID
                + "\",\"SecretAccessKey\":\"standin-secret\",\"Token\":\"standin-session-token\","
                + "\"AccountId\":\"111122223333\",\"Expiration\":\""
                + expires
                + "\"}");
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
