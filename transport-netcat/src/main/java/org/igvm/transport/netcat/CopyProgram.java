package org.igvm.transport.netcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * igvm's copy program ({@code igvm-netcat.py}, a resource of this jar) installed in a private
 * temporary directory on one hypervisor, for the length of a session.
 */
final class CopyProgram {
    static final String FILE_NAME = "igvm-netcat.py";

    private final HostShell shell;
    private final String directory;
    private final String python;

    private CopyProgram(HostShell shell, String directory, String python) {
        this.shell = shell;
        this.directory = directory;
        this.python = python;
    }

    /** The program's text, as shipped in this jar. */
    static byte[] source() {
        try (InputStream in = CopyProgram.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(FILE_NAME + " is missing from the netcat transport's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates a private temporary directory on the shell's host (in {@code tempDir}, or mktemp's
     * default when empty) and puts the program into it.
     */
    static CopyProgram install(HostShell shell, String python, String tempDir) {
        ShellCommand mktemp = tempDir.isEmpty()
                ? ShellCommand.of("mktemp", "-d", "-t", "igvm-netcat.XXXXXXXX")
                : ShellCommand.of("mktemp", "-d", "-p", tempDir, "igvm-netcat.XXXXXXXX");
        String directory = shell.check(mktemp).strip();
        if (directory.isEmpty() || directory.contains("\n")) {
            throw new OperationFailedException("mktemp -d on " + shell.host() + " gave no directory");
        }
        CopyProgram program = new CopyProgram(shell, directory, python);
        try {
            shell.put(source(), program.path(), 0700);
        } catch (RuntimeException e) {
            program.remove();
            throw e;
        }
        return program;
    }

    String host() {
        return shell.host();
    }

    String directory() {
        return directory;
    }

    String path() {
        return directory + "/" + FILE_NAME;
    }

    /** {@code python3 DIR/igvm-netcat.py MODE ARGS…}, every value quoted. */
    ShellCommand command(String mode, List<String> arguments) {
        List<String> words = new ArrayList<>();
        words.add(path());
        words.add(mode);
        words.addAll(arguments);
        return ShellCommand.of(python, words.toArray(String[]::new));
    }

    /** Removes the directory; running it again does nothing. */
    void remove() {
        shell.check(ShellCommand.of("rm", "-rf", "--", directory).idempotent());
    }
}
