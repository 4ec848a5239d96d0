package io.upshift.target;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first and last bytes of a stream up to a cap, discarding the middle: a runaway command
 * cannot fill the heap, and both how it started and how it ended stay readable.
 */
public final class CappedOutput {
  private final int half;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private final byte[] tail;
  private int tailLength;
  private int tailStart;
  private long total;

  public CappedOutput(int cap) {
    this.half = Math.max(1, cap / 2);
    this.tail = new byte[half];
  }

  /** Reads the stream to its end. */
  public void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      append(buffer, n);
    }
  }

  public synchronized void append(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      total++;
      if (head.size() < half) {
        head.write(b[i]);
      } else if (tailLength < half) {
        tail[(tailStart + tailLength++) % half] = b[i];
      } else {
        tail[tailStart] = b[i];
        tailStart = (tailStart + 1) % half;
      }
    }
  }

  /** The kept text, with a marker where bytes were dropped. */
  public synchronized String text() {
    byte[] t = new byte[tailLength];
    for (int i = 0; i < tailLength; i++) {
      t[i] = tail[(tailStart + i) % half];
    }
    String s = head.toString(StandardCharsets.UTF_8);
    long dropped = total - head.size() - tailLength;
    if (dropped > 0) {
      s += "\n[... " + dropped + " bytes not kept ...]\n";
    }
    return s + new String(t, StandardCharsets.UTF_8);
  }
}
