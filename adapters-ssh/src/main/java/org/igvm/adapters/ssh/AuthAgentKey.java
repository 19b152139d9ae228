package org.igvm.adapters.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public-key login with a key held by ssh-agent: the signed request is sent at once, the agent
 * signing it. RSA keys sign with rsa-sha2-256 (OpenSSH refuses SHA-1 {@code ssh-rsa}).
 */
final class AuthAgentKey extends AbstractAuthMethod {
    private final SshAgent agent;
    private final SshAgent.Identity identity;

    AuthAgentKey(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        String keyType = keyType(identity.blob());
        boolean rsa = keyType.equals("ssh-rsa");
        String algorithm = rsa ? "rsa-sha2-256" : keyType;
        SSHPacket request =
                super.buildReq().putBoolean(true).putString(algorithm).putString(identity.blob());
        byte[] signed = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(request)
                .getCompactData();
        try {
            byte[] signature = agent.sign(identity.blob(), signed, rsa ? SshAgent.RSA_SHA2_256 : 0);
            return request.putString(signature);
        } catch (IOException e) {
            throw new UserAuthException(
                    "ssh-agent could not sign with " + identity.comment() + ": " + e.getMessage(), e);
        }
    }

    private static String keyType(byte[] blob) {
        int length = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }
}
