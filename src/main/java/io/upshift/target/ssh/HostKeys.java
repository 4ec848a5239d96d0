package io.upshift.target.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Strict known_hosts checking that says why a key was refused, and where, as OpenSSH does: an
 * unknown key, a changed key (with the file and line of the key expected), a revoked key. With
 * {@code --accept-new-host-keys}, a new host's key is appended as one line.
 */
final class HostKeys extends KnownHostsServerKeyVerifier {
  private final Path file;
  private final Map<ClientSession, String> problems = new ConcurrentHashMap<>();

  HostKeys(Path file, boolean acceptNew) {
    super(
        acceptNew ? AcceptAllServerKeyVerifier.INSTANCE : RejectAllServerKeyVerifier.INSTANCE,
        file);
    this.file = file;
  }

  /** Why the session's host key was refused, once; null when it was not. */
  String takeProblem(ClientSession session) {
    return problems.remove(session);
  }

  @Override
  protected boolean acceptUnknownHostKey(
      ClientSession session, SocketAddress remote, PublicKey key) {
    boolean ok = super.acceptUnknownHostKey(session, remote, key);
    if (!ok) {
      problems.put(
          session,
          "unknown host key "
              + fingerprint(key)
              + " (not in "
              + file
              + "); add it with ssh-keyscan after checking it, or pass --accept-new-host-keys");
    }
    return ok;
  }

  @Override
  public boolean acceptModifiedServerKey(
      ClientSession session,
      SocketAddress remote,
      KnownHostEntry entry,
      PublicKey expected,
      PublicKey actual) {
    problems.put(
        session,
        "host key mismatch: the host offered "
            + fingerprint(actual)
            + ", but "
            + where(entry.getConfigLine())
            + " expects "
            + fingerprint(expected)
            + " (a reinstalled host, or someone in between); check it before changing the file");
    return false;
  }

  @Override
  protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey key) {
    String data = keyData(key);
    String line = null;
    if (data != null) {
      try {
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (l.startsWith("@revoked") && l.contains(data)) {
            line = l;
            break;
          }
        }
      } catch (IOException e) {
        // the position is a help only
      }
    }
    problems.put(
        session,
        "the host's key "
            + fingerprint(key)
            + " is revoked ("
            + (line != null ? "@revoked in " + where(line) : "@revoked in " + file)
            + "); the host must not be trusted with it: have its key replaced");
    super.handleRevokedKey(session, remote, key);
  }

  /**
   * Appends the new host's entry as one line: after a newline only when the file does not end with
   * one, never after a blank line.
   */
  @Override
  protected KnownHostEntry updateKnownHostsFile(
      ClientSession session,
      SocketAddress remote,
      PublicKey key,
      Path path,
      Collection<HostEntryPair> current)
      throws Exception {
    KnownHostEntry entry = prepareKnownHostEntry(session, remote, key);
    if (entry == null) {
      return null;
    }
    synchronized (updateLock) {
      byte[] before = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
      String line = entry.getConfigLine();
      String text =
          (before.length > 0 && before[before.length - 1] != '\n' ? "\n" : "") + line + "\n";
      Files.writeString(
          path, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return entry;
  }

  /** "FILE:LINE" of a line of the known_hosts file, or the file alone when it is not found. */
  private String where(String configLine) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).strip().equals(configLine.strip())) {
          return file + ":" + (i + 1);
        }
      }
    } catch (IOException e) {
      // the position is a help only
    }
    return file.toString();
  }

  private static String keyData(PublicKey key) {
    try {
      String text = PublicKeyEntry.toString(key);
      String[] parts = text.split(" ");
      return parts.length > 1 ? parts[1] : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String fingerprint(PublicKey key) {
    try {
      return KeyUtils.getFingerPrint(key);
    } catch (RuntimeException e) {
      return "(a key of type " + key.getAlgorithm() + ")";
    }
  }
}
