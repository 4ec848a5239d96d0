package io.upshift.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Raw HTTP/1.1 requests over a socket, for tests that must send what a browser or an attacker would
 * (any Host, Origin or cookie header, which Java's HTTP client will not set).
 */
final class Http {
  private Http() {}

  /** A response: status and body. */
  record Response(int status, String body) {}

  static Response send(
      int port, String method, String path, Map<String, String> headers, String body)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      if (!headers.containsKey("Host")) {
        req.append("Host: 127.0.0.1:").append(port).append("\r\n");
      }
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        req.append("Content-Type: application/x-www-form-urlencoded\r\n");
      }
      req.append("Content-Length: ").append(b.length).append("\r\n");
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int at = text.indexOf("\r\n\r\n");
      return new Response(status, at < 0 ? "" : text.substring(at + 4));
    }
  }
}
