package org.igvm.adapters.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and as whom to log in for a host: the name asked for, the address and port to connect to,
 * the user and the key files to offer.
 */
record SshTarget(String host, String address, int port, String user, List<Path> identityFiles) {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    SshTarget {
        identityFiles = List.copyOf(identityFiles);
    }

    /**
     * The user is the configured one, else the client config's {@code User} for the host, else the
     * local user. Keys: the configured ones, then the client config's, then OpenSSH's defaults
     * when neither names any.
     */
    static SshTarget resolve(String host, SshConfig config, SshClientConfigFile clientConfig) {
        SshClientConfigFile.HostEntry entry = clientConfig.lookup(host);
        String user = !config.user().isEmpty() ? config.user() : entry.user().orElse(System.getProperty("user.name"));
        List<Path> keys = new ArrayList<>(config.identityFiles());
        keys.addAll(entry.identityFiles());
        if (keys.isEmpty()) {
            for (String name : DEFAULT_KEYS) {
                Path key = SshConfig.sshDirectory().resolve(name);
                if (Files.exists(key)) {
                    keys.add(key);
                }
            }
        }
        return new SshTarget(host, entry.hostName().orElse(host), entry.port().orElse(22), user, keys);
    }

    boolean loginIsRoot() {
        return user.equals("root");
    }

    /** {@code user@address:port} for messages. */
    String describe() {
        return user + "@" + address + (port == 22 ? "" : ":" + port);
    }
}
