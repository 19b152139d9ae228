package org.igvm.domain.spi.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A shell command line built so that every value is quoted: the one way igvm builds commands for
 * a shell, local or remote. Program names and fixed syntax come from igvm's own code; every value
 * (hostname, path, attribute, user input) goes through {@link #quote}.
 */
public final class ShellCommand {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final String text;

    private ShellCommand(String text) {
        this.text = text;
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

    /** This command's output piped into the next. */
    public ShellCommand pipe(ShellCommand next) {
        return new ShellCommand(text + " | " + next.text);
    }

    /** This command, then the next if it succeeded. */
    public ShellCommand and(ShellCommand next) {
        return new ShellCommand(text + " && " + next.text);
    }

    /** This command run inside {@code chroot root}, as {@code sh -c}. */
    public ShellCommand inChroot(String root) {
        return ShellCommand.of("chroot", root, "/bin/sh", "-c", text);
    }

    /** This command run through {@code sudo -n}, for logins that are not root. */
    public ShellCommand withSudo() {
        return new ShellCommand("sudo -n -- /bin/sh -c " + quote(text));
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
