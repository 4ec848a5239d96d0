package io.upshift.target.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A client of a running ssh-agent (OpenSSH's, or any that speaks its protocol) over its UNIX
 * socket, with the JDK's own UNIX domain sockets: MINA asks it for the keys to offer and for the
 * signatures that prove them, so private keys never leave the agent. The protocol (framing,
 * identities, sign requests) is MINA's; this class only carries its messages.
 */
final class AgentSocket extends AbstractAgentProxy {
  /** No agent message is near this large; a larger length is a protocol error. */
  private static final int MAX_MESSAGE = 256 * 1024;

  private final SocketChannel channel;

  AgentSocket(Path socket) throws IOException {
    super(null);
    try {
      this.channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new IOException("cannot reach the ssh-agent at " + socket + ": " + e.getMessage(), e);
    }
  }

  /** Sends one request (its length filled in first) and reads the one answer. */
  @Override
  protected synchronized Buffer request(Buffer buffer) throws IOException {
    int wpos = buffer.wpos();
    buffer.wpos(0);
    buffer.putUInt(wpos - 4L);
    buffer.wpos(wpos);
    ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer length = ByteBuffer.allocate(4);
    readFully(length);
    int n = length.flip().getInt();
    if (n <= 0 || n > MAX_MESSAGE) {
      throw new IOException("the ssh-agent answered with a message of " + n + " bytes");
    }
    ByteBuffer message = ByteBuffer.allocate(n);
    readFully(message);
    return new ByteArrayBuffer(message.array());
  }

  private void readFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        throw new EOFException("the ssh-agent closed the connection");
      }
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Opens a connection to the agent for each session that authenticates. */
  record Factory(Path socket) implements SshAgentFactory {
    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
      return List.of(); // no agent forwarding to the hosts
    }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
      return new AgentSocket(socket);
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) {
      throw new UnsupportedOperationException("Upshift does not forward its ssh-agent");
    }
  }
}
