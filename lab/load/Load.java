import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded HTTP load: CONCURRENCY connections, each sending GET requests one after the other over
 * HTTP/1.1 keep-alive, until FILE exists (or for N seconds), never longer than M seconds. Every
 * request is counted, and so is every failure: a status other than 200, a connection error, a
 * timeout, a broken response. Nothing is retried. At the end it prints one JSON line:
 *
 * <pre>{"requests":..,"failed":..,"seconds":..,"rate":..,"examples":[..]}</pre>
 *
 * <p>Usage: {@code java lab/load/Load.java --url http://127.77.0.1:8080/items --concurrency 8
 * (--until FILE | --seconds N) [--max-seconds M] [--timeout-ms T]}
 *
 * <p>Once the first answer (or failure) is in, it prints {@code load: started} on stderr.
 *
 * <p>Exit status: 0 when no request failed, 1 when some did, 2 on bad arguments.
 */
public final class Load {
  private static final int MAX_EXAMPLES = 5;

  private final String host;
  private final int port;
  private final byte[] request;
  private final int timeoutMs;
  private final long start = System.nanoTime();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<String> examples = new ArrayList<>();
  private volatile boolean stop;
  private final CountDownLatch firstAnswer = new CountDownLatch(1);

  private Load(URI url, int timeoutMs) {
    this.host = url.getHost();
    this.port = url.getPort() > 0 ? url.getPort() : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    this.request =
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nUser-Agent: lab-load\r\nAccept: */*\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.timeoutMs = timeoutMs;
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    Path until = null;
    double seconds = -1;
    double maxSeconds = 600;
    int concurrency = 8;
    int timeoutMs = 10_000;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        if (v == null) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        i++;
        switch (a) {
          case "--url" -> url = v;
          case "--until" -> until = Path.of(v);
          case "--seconds" -> seconds = Double.parseDouble(v);
          case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
          case "--concurrency" -> concurrency = Integer.parseInt(v);
          case "--timeout-ms" -> timeoutMs = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (url == null || (until == null && seconds < 0)) {
        throw new IllegalArgumentException(
            "--url and one of --until FILE or --seconds N are needed");
      }
      if (concurrency < 1 || maxSeconds <= 0) {
        throw new IllegalArgumentException("--concurrency and --max-seconds must be positive");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("load: " + e.getMessage());
      System.err.println(
          "usage: java Load.java --url URL --concurrency N (--until FILE | --seconds N)"
              + " [--max-seconds M] [--timeout-ms T]");
      System.exit(2);
      return;
    }
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme())) {
      System.err.println("load: only http:// URLs");
      System.exit(2);
    }
    Load load = new Load(uri, timeoutMs);
    System.exit(load.run(concurrency, until, seconds, maxSeconds));
  }

  private int run(int concurrency, Path until, double seconds, double maxSeconds)
      throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Thread t = new Thread(this::work, "load-" + i);
      t.start();
      workers.add(t);
    }
    long limit = (long) (Math.min(seconds < 0 ? maxSeconds : seconds, maxSeconds) * 1e9);
    firstAnswer.await(Math.min(limit, 10_000_000_000L), TimeUnit.NANOSECONDS);
    // Whoever waits for the load to run (lab/selftest, Lab.startLoad) waits for this line.
    System.err.println("load: started");
    System.err.flush();
    String reason = "time";
    while (System.nanoTime() - start < limit) {
      if (until != null && Files.exists(until)) {
        reason = "until";
        break;
      }
      Thread.sleep(20);
    }
    if (until != null && reason.equals("time") && seconds < 0) {
      System.err.println("load: --max-seconds reached before " + until + " appeared");
    }
    stop = true;
    long elapsed = System.nanoTime() - start;
    for (Thread t : workers) {
      t.join(timeoutMs + 2000L); // a request in flight finishes or times out
    }
    double secs = elapsed / 1e9;
    StringBuilder out = new StringBuilder();
    out.append("{\"requests\":").append(requests.get());
    out.append(",\"failed\":").append(failed.get());
    out.append(",\"seconds\":").append(String.format(Locale.ROOT, "%.3f", secs));
    out.append(",\"rate\":").append(String.format(Locale.ROOT, "%.1f", requests.get() / secs));
    out.append(",\"examples\":[");
    synchronized (examples) {
      for (int i = 0; i < examples.size(); i++) {
        out.append(i == 0 ? "" : ",").append(json(examples.get(i)));
      }
    }
    out.append("]}");
    System.out.println(out);
    return failed.get() == 0 ? 0 : 1;
  }

  private void work() {
    Socket socket = null;
    InputStream in = null;
    OutputStream out = null;
    while (!stop) {
      requests.incrementAndGet();
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(timeoutMs);
          socket.connect(new InetSocketAddress(host, port), timeoutMs);
          in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
          out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        Response r = read(in);
        firstAnswer.countDown();
        if (r.status != 200) {
          fail("HTTP " + r.status + ": " + r.snippet);
        }
        if (r.close) {
          close(socket);
          socket = null;
        }
      } catch (IOException e) {
        String what =
            e instanceof SocketTimeoutException
                ? "timeout after " + timeoutMs + " ms"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        fail(what);
        close(socket);
        socket = null;
        pause(); // do not spin on a refused connection
      }
    }
    close(socket);
  }

  private record Response(int status, boolean close, String snippet) {}

  /** Reads one response: status line, headers, then a Content-Length or chunked body. */
  private static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new EOFException("connection closed before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    boolean close = parts[0].equals("HTTP/1.0");
    long length = -1;
    boolean chunked = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.contains("chunked");
        case "connection" ->
            close = value.contains("close") ? true : !value.contains("keep-alive") && close;
        default -> {}
      }
    }
    byte[] head = new byte[status == 200 ? 0 : 200];
    int kept = 0;
    if (chunked) {
      while (true) {
        String size = line(in);
        if (size == null) {
          throw new EOFException("connection closed inside a chunked body");
        }
        int semi = size.indexOf(';');
        long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {}
          break;
        }
        kept += body(in, n, head, kept);
        line(in);
      }
    } else if (length >= 0) {
      kept += body(in, length, head, 0);
    } else if (status != 204 && status != 304) {
      kept += body(in, Long.MAX_VALUE, head, 0); // until the server closes
      close = true;
    }
    return new Response(status, close, new String(head, 0, kept, StandardCharsets.UTF_8));
  }

  /** Skips n body bytes (all until end of stream when n is Long.MAX_VALUE), keeping the first. */
  private static int body(InputStream in, long n, byte[] head, int offset) throws IOException {
    byte[] buf = new byte[8192];
    int kept = 0;
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        if (n == Long.MAX_VALUE) {
          break;
        }
        throw new EOFException("connection closed with " + left + " body bytes missing");
      }
      int keep = Math.min(r, head.length - offset - kept);
      if (keep > 0) {
        System.arraycopy(buf, 0, head, offset + kept, keep);
        kept += keep;
      }
      left -= r;
    }
    return kept;
  }

  /** One CRLF-terminated line, or null at end of stream before any byte. */
  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
    if (sb.length() == 0) {
      return null;
    }
    throw new EOFException("connection closed inside a line");
  }

  private void fail(String what) {
    firstAnswer.countDown();
    failed.incrementAndGet();
    synchronized (examples) {
      if (examples.size() < MAX_EXAMPLES) {
        examples.add(
            String.format(Locale.ROOT, "at %.3fs: %s", (System.nanoTime() - start) / 1e9, what));
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
