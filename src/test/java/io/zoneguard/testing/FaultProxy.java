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
 * An HTTP proxy in front of an AWS emulator (or the mock API server) that answers chosen requests
 * with an error instead of forwarding them, and records every request line: moto never fails on its
 * own. Optionally it delays chosen calls (network and API latency), keeps new volumes {@code
 * creating} and new snapshots {@code pending} for a while in DescribeVolumes/DescribeSnapshots
 * answers (moto completes both at once; EBS takes seconds for a volume and minutes for a snapshot),
 * and calls a gate before forwarding each request and after its answer (the simulation runs the
 * Kubernetes controllers there: {@code testing.sim.Sim}).
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

  /**
   * What the proxy saw: method, path with query, the query-protocol Action (EC2, STS; null for S3
   * and Kubernetes), failed or not, the request headers (names lower-cased, first value), and the
   * request body when it is short text (empty otherwise).
   */
  public record Seen(
      String method,
      String uri,
      String action,
      boolean failed,
      Map<String, String> headers,
      String body) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    Seen failedCopy() {
      return new Seen(method, uri, action, true, headers, body);
    }
  }

  /** An answer the gate gives instead of forwarding. */
  public record Reply(int status, String contentType, String body) {}

  /** Called before a request is forwarded (or failed) and after its answer. */
  public interface Gate {
    void before(Seen request);

    /** An answer instead of forwarding (as the real server would refuse), or null to forward. */
    default Reply intercept(Seen request) {
      return null;
    }

    default void after(Seen request, int status) {}
  }

  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");
  private static final Pattern VOLUME_ID = Pattern.compile("<volumeId>(vol-[0-9a-f]+)</volumeId>");
  private static final Pattern SNAPSHOT_ID =
      Pattern.compile("<snapshotId>(snap-[0-9a-f]+)</snapshotId>");
  private static final int MAX_BODY = 64 * 1024;

  private volatile Predicate<Seen> delayed = s -> false;
  private volatile Duration delay = Duration.ZERO;
  private volatile Duration creatingFor = Duration.ZERO;
  private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
  private volatile Duration pendingFor = Duration.ZERO;
  private final Map<String, Long> snapshotStartedAt = new ConcurrentHashMap<>();
  private volatile Gate gate = s -> {};
  private volatile Predicate<Seen> fail;

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  public FaultProxy(URI target, Predicate<Seen> fail, int status, String awsCode)
      throws IOException {
    this.fail = fail;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String text = body.length > MAX_BODY ? "" : new String(body, StandardCharsets.UTF_8);
            Matcher am = ACTION.matcher(text);
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders()
                .forEach((k, vs) -> headers.put(k.toLowerCase(Locale.ROOT), vs.get(0)));
            Seen s =
                new Seen(
                    ex.getRequestMethod(),
                    ex.getRequestURI().toString(),
                    am.find() ? am.group(1) : null,
                    false,
                    Map.copyOf(headers),
                    text);
            if (delayed.test(s) && !delay.isZero()) {
              Thread.sleep(delay.toMillis());
            }
            gate.before(s);
            Reply own = this.fail.test(s) ? null : gate.intercept(s);
            if (own != null) {
              seen.add(s.failedCopy());
              ex.getResponseHeaders().add("Content-Type", own.contentType());
              gate.after(s, own.status());
              reply(ex, own.status(), own.body().getBytes(StandardCharsets.UTF_8));
              return;
            }
            if (this.fail.test(s)) {
              Seen failed = s.failedCopy();
              seen.add(failed);
              gate.after(failed, status);
              String error =
                  "<Error><Code>"
                      + awsCode
                      + "</Code><Message>injected by FaultProxy</Message></Error>";
              // STS (query protocol, API version 2011-06-15) wraps its errors in ErrorResponse.
              if (text.contains("Version=2011-06-15")) {
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
            byte[] answer = shape(s, r.body());
            // before the client sees the answer: what the gate does there is part of the call
            gate.after(s, r.statusCode());
            reply(ex, r.statusCode(), answer);
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

  /**
   * Calls {@code g} around every request, and fails the requests {@code crash} accepts (in addition
   * to those the constructor's predicate fails).
   */
  public FaultProxy withGate(Gate g, Predicate<Seen> crash) {
    this.gate = g;
    Predicate<Seen> before = this.fail;
    this.fail = s -> crash.test(s) || before.test(s);
    return this;
  }

  /**
   * Snapshots started through the proxy are reported {@code pending} (progress 0%) for {@code d},
   * as EBS keeps them for minutes.
   */
  public FaultProxy withSnapshotsPendingFor(Duration d) {
    this.pendingFor = d;
    return this;
  }

  /** Volumes created through the proxy are reported {@code creating} for {@code d}. */
  public FaultProxy withVolumesCreatingFor(Duration d) {
    this.creatingFor = d;
    return this;
  }

  private byte[] shape(Seen s, byte[] body) {
    if (s.action() == null || (creatingFor.isZero() && pendingFor.isZero())) {
      return body;
    }
    String xml = new String(body, StandardCharsets.UTF_8);
    long now = System.nanoTime();
    if (s.action().equals("CreateSnapshot") || s.action().equals("CreateSnapshots")) {
      Matcher m = SNAPSHOT_ID.matcher(xml);
      while (m.find()) {
        snapshotStartedAt.put(m.group(1), now);
      }
      return body;
    }
    if (s.action().equals("DescribeSnapshots")) {
      for (Map.Entry<String, Long> e : snapshotStartedAt.entrySet()) {
        if (now - e.getValue() < pendingFor.toNanos()) {
          xml =
              xml.replaceFirst(
                  "(?s)(<snapshotId>"
                      + e.getKey()
                      + "</snapshotId>.*?<status>)completed(</status>)",
                  "$1pending$2");
          xml =
              xml.replaceFirst(
                  "(?s)(<snapshotId>" + e.getKey() + "</snapshotId>.*?<progress>)100%(</progress>)",
                  "$10%$2");
        }
      }
      return xml.getBytes(StandardCharsets.UTF_8);
    }
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
