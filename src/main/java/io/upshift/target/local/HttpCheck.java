package io.upshift.target.local;

import io.upshift.engine.Outcome;
import io.upshift.plan.Check;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * An HTTP check: a GET whose status (and optionally body) must match, bounded as a whole by the
 * step's timeout and reading at most {@link LocalTarget#OUTPUT_CAP} bytes of body.
 */
public final class HttpCheck implements AutoCloseable {
  private final ExecutorService workers;

  /**
   * Made on the first check: a client sets up TLS (the JDK's trusted certificates) as it is built,
   * which a run without HTTP steps, or an {@code exec}, should not pay for.
   */
  private HttpClient http;

  public HttpCheck(ExecutorService workers) {
    this.workers = workers;
  }

  private synchronized HttpClient client() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }
    return http;
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.close();
    }
  }

  /** Makes the check; blocks up to the timeout (call it on a worker thread). */
  public Outcome get(String url, Check check, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    HttpResponse<InputStream> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofMillis(timeoutMillis))
              .GET()
              .build();
      response =
          client()
              .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
              .get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (IllegalArgumentException e) {
      return Outcome.failure(-1, "", "GET " + url + ": not a URL (" + e.getMessage() + ")");
    } catch (TimeoutException e) {
      return Outcome.failure(-1, "", "GET " + url + ": no answer within the timeout");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String why =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      return Outcome.failure(-1, "", "GET " + url + " failed: " + why);
    }
    InputStream in = response.body();
    Future<byte[]> read = workers.submit(() -> in.readNBytes(LocalTarget.OUTPUT_CAP));
    String body;
    try {
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      body = new String(read.get(left, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
    } catch (TimeoutException | ExecutionException e) {
      read.cancel(true);
      return Outcome.failure(
          response.statusCode(), "", "GET " + url + ": the body did not arrive within the timeout");
    } finally {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing a half-read body
      }
    }
    if (response.statusCode() != check.expectStatus()) {
      return Outcome.failure(
          response.statusCode(),
          body,
          "GET " + url + " returned " + response.statusCode() + ", wanted " + check.expectStatus());
    }
    if (check.expectOutput() != null
        && !Pattern.compile(check.expectOutput()).matcher(body).find()) {
      return Outcome.failure(
          response.statusCode(),
          body,
          "GET " + url + ": body does not match /" + check.expectOutput() + "/");
    }
    return Outcome.success(response.statusCode(), body);
  }
}
