package org.igvm.adapters.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of an OpenSSH client config ({@code ~/.ssh/config}) igvm honours: {@code HostName},
 * {@code Port}, {@code User} and {@code IdentityFile} inside {@code Host} blocks. As in OpenSSH the
 * first value found for a host wins (identity files add up); {@code Match} blocks are skipped.
 */
final class SshClientConfigFile {
    private static final Logger log = LoggerFactory.getLogger(SshClientConfigFile.class);

    /** What the file says about one host; empty values mean "not set". */
    record HostEntry(
            Optional<String> hostName, Optional<Integer> port, Optional<String> user, List<Path> identityFiles) {}

    private final List<String> lines;

    private SshClientConfigFile(List<String> lines) {
        this.lines = lines;
    }

    static SshClientConfigFile read(Path file) {
        try {
            return new SshClientConfigFile(Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            return new SshClientConfigFile(List.of());
        } catch (IOException e) {
            log.warn("ignoring unreadable SSH client config {}: {}", file, e.getMessage());
            return new SshClientConfigFile(List.of());
        }
    }

    static SshClientConfigFile of(String text) {
        return new SshClientConfigFile(text.lines().toList());
    }

    HostEntry lookup(String host) {
        String hostName = null;
        Integer port = null;
        String user = null;
        List<Path> identities = new ArrayList<>();
        boolean applies = true; // lines before the first Host apply to every host
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("\\s*=\\s*|\\s+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? unquote(kv[1].strip()) : "";
            switch (key) {
                case "host" -> applies = matches(host, value);
                case "match" -> applies = false;
                case "hostname" -> {
                    if (applies && hostName == null) {
                        hostName = value.replace("%h", host);
                    }
                }
                case "port" -> {
                    if (applies && port == null) {
                        try {
                            port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            log.warn("ignoring Port '{}' in the SSH client config", value);
                        }
                    }
                }
                case "user" -> {
                    if (applies && user == null) {
                        user = value;
                    }
                }
                case "identityfile" -> {
                    if (applies) {
                        identities.add(expandHome(value));
                    }
                }
                default -> {}
            }
        }
        return new HostEntry(
                Optional.ofNullable(hostName), Optional.ofNullable(port), Optional.ofNullable(user), identities);
    }

    /** OpenSSH host patterns: space-separated, {@code *} and {@code ?} wildcards, {@code !} negates. */
    static boolean matches(String host, String patterns) {
        boolean matched = false;
        for (String p : patterns.split("[\\s,]+")) {
            if (p.isEmpty()) {
                continue;
            }
            boolean negated = p.startsWith("!");
            String glob = negated ? p.substring(1) : p;
            if (glob(glob).matcher(host.toLowerCase(Locale.ROOT)).matches()) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path.replace("%d", System.getProperty("user.home")));
    }
}
