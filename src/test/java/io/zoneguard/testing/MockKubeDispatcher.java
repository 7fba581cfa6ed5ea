package io.zoneguard.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link MockKube}'s dispatcher: the CRUD mock, an audit of zoneguard's requests (checked against
 * the chart's RBAC), and a stand-in for the kubelet's exec endpoint: {@code pods/NAME/exec} runs
 * the requested command on this machine, with the environment variables of the pod's container, and
 * streams it over the Kubernetes exec WebSocket protocol (channel 0 stdin, 1 stdout, 2 stderr, 3
 * status). The pod "is" this machine: its MariaDB and its mysqldump.
 */
final class MockKubeDispatcher extends KubernetesCrudDispatcher {
  private final Supplier<KubernetesClient> client;
  final ApiAudit audit = new ApiAudit();

  MockKubeDispatcher(Supplier<KubernetesClient> client) {
    super(List.of());
    this.client = client;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    String agent = request.getHeader("User-Agent");
    if (agent != null && agent.startsWith(io.zoneguard.kube.KubeClients.USER_AGENT)) {
      audit.record(request.getMethod(), path);
      if ("DELETE".equals(request.getMethod())) {
        audit.recordDelete(path, request.getBody() == null ? "" : request.getBody().readUtf8());
      }
    }
    if (path.contains("/exec?") && path.contains("/pods/")) {
      return new MockResponse()
          .setHeader("Sec-WebSocket-Protocol", "v4.channel.k8s.io")
          .withWebSocketUpgrade(new Exec(path));
    }
    return super.dispatch(request);
  }

  private final class Exec extends WebSocketListener {
    private final String path;
    private Process process;

    Exec(String path) {
      this.path = path;
    }

    @Override
    public void onOpen(WebSocket ws, io.fabric8.mockwebserver.http.Response response) {
      Thread t = new Thread(() -> run(ws), "mock-kube-exec");
      t.setDaemon(true);
      t.start();
    }

    private synchronized Process process() throws InterruptedException {
      while (process == null) {
        wait();
      }
      return process;
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      onMessage(ws, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      try {
        OutputStream in = process().getOutputStream();
        if (bytes.length > 0 && bytes[0] == 0) {
          in.write(bytes, 1, bytes.length - 1);
          in.flush();
        } else if (bytes.length > 0 && (bytes[0] & 0xff) == 255) {
          in.close();
        }
      } catch (IOException | InterruptedException e) {
        // the command has ended
      }
    }

    @Override
    public void onMessage(WebSocket ws, io.fabric8.mockwebserver.http.ByteString bytes) {
      onMessage(ws, bytes.toByteArray());
    }

    private void run(WebSocket ws) {
      String[] parts = path.split("\\?", 2);
      String[] seg = parts[0].split("/");
      String namespace = seg[4];
      String podName = seg[6];
      List<String> command = new ArrayList<>();
      String containerName = null;
      for (String kv : parts[1].split("&")) {
        String[] p = kv.split("=", 2);
        String v = URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8);
        if (p[0].equals("command")) {
          command.add(v);
        } else if (p[0].equals("container")) {
          containerName = v;
        }
      }
      try {
        Pod pod = client.get().pods().inNamespace(namespace).withName(podName).get();
        ProcessBuilder pb = new ProcessBuilder(command);
        if (pod != null) {
          String wanted = containerName;
          Container c =
              pod.getSpec().getContainers().stream()
                  .filter(x -> wanted == null || x.getName().equals(wanted))
                  .findFirst()
                  .orElseThrow();
          for (EnvVar e : c.getEnv()) {
            pb.environment().put(e.getName(), e.getValue() == null ? "" : e.getValue());
          }
        }
        Process p = pb.start();
        synchronized (this) {
          process = p;
          notifyAll();
        }
        Thread err = pump(p.getErrorStream(), ws, (byte) 2);
        pump(p.getInputStream(), ws, (byte) 1).join();
        err.join();
        int code = p.waitFor();
        String status =
            code == 0
                ? "{\"metadata\":{},\"status\":\"Success\"}"
                : "{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                    + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                    + code
                    + "\"}]}}";
        send(ws, (byte) 3, status.getBytes(StandardCharsets.UTF_8), status.length());
      } catch (Exception e) {
        String status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + e + "\"}";
        send(ws, (byte) 3, status.getBytes(StandardCharsets.UTF_8), status.length());
      }
      ws.close(1000, "done");
    }

    private Thread pump(InputStream in, WebSocket ws, byte channel) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[64 * 1024];
                try {
                  for (int n; (n = in.read(buf)) > 0; ) {
                    send(ws, channel, buf, n);
                  }
                } catch (IOException ignored) {
                  // process ended
                }
              },
              "mock-kube-exec-pump");
      t.setDaemon(true);
      t.start();
      return t;
    }

    private synchronized void send(WebSocket ws, byte channel, byte[] data, int n) {
      byte[] frame = new byte[n + 1];
      frame[0] = channel;
      System.arraycopy(data, 0, frame, 1, n);
      ws.send(frame);
    }
  }
}
