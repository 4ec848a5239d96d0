package io.upshift.target;

import io.upshift.engine.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HAProxy's runtime API: one command per connection, to a TCP address or a UNIX socket. An empty
 * answer is success; anything else is HAProxy saying what went wrong.
 */
public final class Haproxy {
  private Haproxy() {}

  /** Sends {@code command} and returns the outcome: success on an empty answer. */
  public static Outcome send(String address, String command, long timeoutMillis) {
    Outcome o = query(address, command, timeoutMillis);
    if (!o.ok() || o.output().isEmpty()) {
      return o;
    }
    return Outcome.failure(1, o.output(), "HAProxy refused `" + command + "`: " + o.output());
  }

  /** Sends {@code command} and returns HAProxy's answer as the output of a success. */
  public static Outcome query(String address, String command, long timeoutMillis) {
    SocketAddress target;
    try {
      target = address.startsWith("/") ? UnixDomainSocketAddress.of(address) : tcp(address);
    } catch (IllegalArgumentException e) {
      return Outcome.failure(-1, "", "HAProxy API `" + address + "`: " + e.getMessage());
    }
    try (SocketChannel ch =
        SocketChannel.open(
            target instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET)) {
      ch.socket(); // (for TCP) a blocking channel with a bounded read below
      ch.connect(target);
      ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.shutdownOutput();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (ch.read(buf) >= 0) {
        answer.write(buf.array(), 0, buf.position());
        buf.clear();
        if (System.nanoTime() > deadline || answer.size() > (1 << 20)) {
          return Outcome.failure(-1, "", "HAProxy API `" + address + "`: no answer in time");
        }
      }
      answer.write(buf.array(), 0, buf.position());
      return Outcome.success(0, answer.toString(StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Outcome.failure(
          -1, "", "HAProxy API `" + address + "` cannot be reached: " + e.getMessage());
    }
  }

  /**
   * One server's fields from {@code show stat BACKEND 4 -1} (CSV, first line the header): e.g.
   * {@code scur} (current sessions), {@code qcur} (queued requests), {@code status} (UP, DOWN,
   * DRAIN, MAINT, "no check"). Null when the server is not in the answer.
   */
  public static Map<String, String> serverStat(String csv, String server) {
    String[] lines = csv.split("\n");
    if (lines.length == 0 || !lines[0].startsWith("# ")) {
      return null;
    }
    String[] header = lines[0].substring(2).split(",", -1);
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      if (f.length > 1 && f[1].equals(server)) {
        Map<String, String> out = new HashMap<>();
        for (int k = 0; k < Math.min(header.length, f.length); k++) {
          out.put(header[k], f[k]);
        }
        return out;
      }
    }
    return null;
  }

  private static InetSocketAddress tcp(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("give HOST:PORT or a socket path");
    }
    return new InetSocketAddress(
        address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
  }
}
