package org.igvm.domain.spi.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A shell command line built so that every value is quoted: the one way igvm builds commands for
 * a shell, local or remote. Program names and fixed syntax come from igvm's own code; every value
 * (hostname, path, attribute, user input) goes through {@link #quote}.
 *
 * <p>A command may be {@link #idempotent() marked idempotent}: running it twice has the effect of
 * running it once (reads such as {@code cat}, {@code test}, {@code df}, {@code virsh list}). Only
 * such commands are run again when the connection to the host drops under them; re-running
 * {@code dd}, {@code lvcreate} or {@code drbdadm create-md} could destroy data.
 */
public final class ShellCommand {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final String text;
    private final boolean idempotent;

    private ShellCommand(String text) {
        this(text, false);
    }

    private ShellCommand(String text, boolean idempotent) {
        this.text = text;
        this.idempotent = idempotent;
    }

    /** A program and its arguments, every one quoted. */
    public static ShellCommand of(String program, String... arguments) {
        List<String> words = new ArrayList<>();
        words.add(quote(program));
        for (String a : arguments) {
            words.add(quote(a));
        }
        return new ShellCommand(String.join(" ", words));
    }

    /**
     * A command from a template written by igvm, whose {@code {}} placeholders are replaced by the
     * quoted values in order. The template itself must hold no untrusted text.
     */
    public static ShellCommand format(String template, Object... values) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        int from = 0;
        while (true) {
            int at = template.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            if (next >= values.length) {
                throw new IllegalArgumentException("more placeholders than values in: " + template);
            }
            out.append(template, from, at).append(quote(String.valueOf(values[next++])));
            from = at + 2;
        }
        if (next != values.length) {
            throw new IllegalArgumentException("more values than placeholders in: " + template);
        }
        out.append(template.substring(from));
        return new ShellCommand(out.toString());
    }

    /**
     * This command marked idempotent: running it twice has the effect of running it once, so it
     * may be run again after the connection to its host dropped under it. Mark only commands that
     * change nothing or that set a state regardless of the one before.
     *
     * @since 0.2
     */
    public ShellCommand idempotent() {
        return new ShellCommand(text, true);
    }

    /**
     * Whether this command was {@link #idempotent() marked idempotent}.
     *
     * @since 0.2
     */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** This command's output piped into the next; idempotent when both are. */
    public ShellCommand pipe(ShellCommand next) {
        return new ShellCommand(text + " | " + next.text, idempotent && next.idempotent);
    }

    /** This command, then the next if it succeeded; idempotent when both are. */
    public ShellCommand and(ShellCommand next) {
        return new ShellCommand(text + " && " + next.text, idempotent && next.idempotent);
    }

    /** This command run inside {@code chroot root}, as {@code sh -c}; keeps its marking. */
    public ShellCommand inChroot(String root) {
        return new ShellCommand(ShellCommand.of("chroot", root, "/bin/sh", "-c", text).text, idempotent);
    }

    /** This command run through {@code sudo -n}, for logins that are not root; keeps its marking. */
    public ShellCommand withSudo() {
        return new ShellCommand("sudo -n -- /bin/sh -c " + quote(text), idempotent);
    }

    /** The command line as the shell reads it. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Quotes a value for a POSIX shell: unchanged when it only has safe characters, else inside
     * single quotes with each {@code '} written as {@code '\''}.
     */
    public static String quote(String value) {
        if (!value.isEmpty() && SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
