package io.zoneguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of an AWS emulator that answers chosen requests with an error instead of
 * forwarding them, and records every request line: moto never fails on its own.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

  /** What the proxy saw: method and path with query. */
  public record Seen(String method, String uri, boolean failed) {}

  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  public FaultProxy(URI target, Predicate<Seen> fail, int status, String awsCode)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), false);
            byte[] body = ex.getRequestBody().readAllBytes();
            if (fail.test(s)) {
              seen.add(new Seen(s.method(), s.uri(), true));
              reply(
                  ex,
                  status,
                  ("<Error><Code>"
                          + awsCode
                          + "</Code><Message>injected by FaultProxy</Message></Error>")
                      .getBytes(StandardCharsets.UTF_8));
              return;
            }
            seen.add(s);
            HttpRequest.Builder b =
                HttpRequest.newBuilder(target.resolve(s.uri()))
                    .method(s.method(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders()
                .forEach(
                    (k, vs) -> {
                      if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                        vs.forEach(v -> b.header(k, v));
                      }
                    });
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers()
                .map()
                .forEach(
                    (k, vs) -> {
                      if (!HOP_BY_HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                        ex.getResponseHeaders().put(k, vs);
                      }
                    });
            reply(ex, r.statusCode(), r.body());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
