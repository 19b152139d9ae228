package org.igvm.adapters.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of a running ssh-agent ({@code $SSH_AUTH_SOCK}): lists its keys and has it sign, so
 * private keys never leave the agent. Speaks the agent protocol over a Unix domain socket.
 */
final class SshAgent {
    private static final int REQUEST_IDENTITIES = 11;
    private static final int IDENTITIES_ANSWER = 12;
    private static final int SIGN_REQUEST = 13;
    private static final int SIGN_RESPONSE = 14;
    static final int RSA_SHA2_256 = 2;

    /** A key the agent holds: its public key blob and comment. */
    record Identity(byte[] blob, String comment) {}

    private final Path socket;

    SshAgent(Path socket) {
        this.socket = socket;
    }

    List<Identity> identities() throws IOException {
        DataInputStream answer = call(new byte[] {REQUEST_IDENTITIES}, IDENTITIES_ANSWER);
        int count = answer.readInt();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = string(answer);
            out.add(new Identity(blob, new String(string(answer), java.nio.charset.StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The signature blob ({@code string algorithm, string signature}) over the data. */
    byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(request);
        out.writeByte(SIGN_REQUEST);
        out.writeInt(keyBlob.length);
        out.write(keyBlob);
        out.writeInt(data.length);
        out.write(data);
        out.writeInt(flags);
        return string(call(request.toByteArray(), SIGN_RESPONSE));
    }

    private DataInputStream call(byte[] message, int expected) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer framed = ByteBuffer.allocate(4 + message.length);
            framed.putInt(message.length).put(message).flip();
            while (framed.hasRemaining()) {
                channel.write(framed);
            }
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            int length = in.readInt();
            if (length <= 0 || length > 256 * 1024) {
                throw new IOException("ssh-agent sent a reply of " + length + " bytes");
            }
            byte[] reply = in.readNBytes(length);
            if (reply.length != length) {
                throw new IOException("ssh-agent closed the connection mid-reply");
            }
            if (reply[0] != expected) {
                throw new IOException("ssh-agent refused the request (reply type " + reply[0] + ")");
            }
            return new DataInputStream(new java.io.ByteArrayInputStream(reply, 1, reply.length - 1));
        }
    }

    private static byte[] string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("ssh-agent sent a malformed reply");
        }
        return in.readNBytes(length);
    }
}
