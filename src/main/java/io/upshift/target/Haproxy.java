package io.upshift.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * HAProxy's runtime API: one command per connection, to a TCP address or a UNIX socket. An empty
 * answer is success; anything else is HAProxy saying what went wrong.
 */
public final class Haproxy {
  private Haproxy() {}

  /** Sends {@code command} and returns the outcome: success on an empty answer. */
  public static Outcome send(String address, String command, long timeoutMillis) {
    SocketAddress target;
    try {
      target = address.startsWith("/") ? UnixDomainSocketAddress.of(address) : tcp(address);
    } catch (IllegalArgumentException e) {
      return Outcome.failure(-1, "", "HAProxy API `" + address + "`: " + e.getMessage());
    }
    try (SocketChannel ch =
        SocketChannel.open(
            target instanceof UnixDomainSocketAddress
                ? java.net.StandardProtocolFamily.UNIX
                : java.net.StandardProtocolFamily.INET)) {
      ch.socket(); // (for TCP) a blocking channel with a bounded read below
      ch.connect(target);
      ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.shutdownOutput();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        if (System.nanoTime() > deadline) {
          return Outcome.failure(-1, "", "HAProxy API `" + address + "`: no answer in time");
        }
      }
      String answer = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
      return answer.isEmpty()
          ? Outcome.success(0, "")
          : Outcome.failure(1, answer, "HAProxy refused `" + command + "`: " + answer);
    } catch (IOException e) {
      return Outcome.failure(
          -1, "", "HAProxy API `" + address + "` cannot be reached: " + e.getMessage());
    }
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
