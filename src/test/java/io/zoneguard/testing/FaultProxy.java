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
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of an AWS emulator that answers chosen requests with an error instead of
 * forwarding them, and records every request line: moto never fails on its own. Optionally it
 * delays chosen calls (network and API latency) and keeps new volumes {@code creating} for a while
 * in DescribeVolumes answers (moto makes them available at once; EBS takes seconds).
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

  /**
   * What the proxy saw: method, path with query, the query-protocol Action (EC2, STS; null for S3),
   * failed or not, and the request headers (names lower-cased, first value).
   */
  public record Seen(
      String method, String uri, String action, boolean failed, Map<String, String> headers) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");
  private static final Pattern VOLUME_ID = Pattern.compile("<volumeId>(vol-[0-9a-f]+)</volumeId>");

  private volatile Predicate<Seen> delayed = s -> false;
  private volatile Duration delay = Duration.ZERO;
  private volatile Duration creatingFor = Duration.ZERO;
  private final Map<String, Long> createdAt = new ConcurrentHashMap<>();

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  public FaultProxy(URI target, Predicate<Seen> fail, int status, String awsCode)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Matcher am = ACTION.matcher(new String(body, StandardCharsets.UTF_8));
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders()
                .forEach((k, vs) -> headers.put(k.toLowerCase(Locale.ROOT), vs.get(0)));
            Seen s =
                new Seen(
                    ex.getRequestMethod(),
                    ex.getRequestURI().toString(),
                    am.find() ? am.group(1) : null,
                    false,
                    Map.copyOf(headers));
            if (delayed.test(s) && !delay.isZero()) {
              Thread.sleep(delay.toMillis());
            }
            if (fail.test(s)) {
              seen.add(new Seen(s.method(), s.uri(), s.action(), true, s.headers()));
              String error =
                  "<Error><Code>"
                      + awsCode
                      + "</Code><Message>injected by FaultProxy</Message></Error>";
              // STS (query protocol, API version 2011-06-15) wraps its errors in ErrorResponse.
              if (new String(body, StandardCharsets.UTF_8).contains("Version=2011-06-15")) {
                error = "<ErrorResponse>" + error + "<RequestId>fault</RequestId></ErrorResponse>";
              }
              reply(ex, status, error.getBytes(StandardCharsets.UTF_8));
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
            reply(ex, r.statusCode(), shape(s, r.body()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  /** Delays every request matching {@code which} by {@code by} before handling it. */
  public FaultProxy withLatency(Predicate<Seen> which, Duration by) {
    this.delayed = which;
    this.delay = by;
    return this;
  }

  /** Volumes created through the proxy are reported {@code creating} for {@code d}. */
  public FaultProxy withVolumesCreatingFor(Duration d) {
    this.creatingFor = d;
    return this;
  }

  private byte[] shape(Seen s, byte[] body) {
    if (creatingFor.isZero() || s.action() == null) {
      return body;
    }
    String xml = new String(body, StandardCharsets.UTF_8);
    long now = System.nanoTime();
    if (s.action().equals("CreateVolume")) {
      Matcher m = VOLUME_ID.matcher(xml);
      if (m.find()) {
        createdAt.put(m.group(1), now);
      }
      return body;
    }
    if (!s.action().equals("DescribeVolumes")) {
      return body;
    }
    for (Map.Entry<String, Long> e : createdAt.entrySet()) {
      if (now - e.getValue() < creatingFor.toNanos()) {
        xml =
            xml.replaceFirst(
                "(?s)(<volumeId>" + e.getKey() + "</volumeId>.*?<status>)available(</status>)",
                "$1creating$2");
      }
    }
    return xml.getBytes(StandardCharsets.UTF_8);
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
    pool.shutdownNow();
  }
}
