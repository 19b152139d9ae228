package org.igvm.transport.netcat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * What one run of the copy program (and the {@code nc} it runs) says on stderr, parsed as the
 * lines arrive on the shell's thread and read by the session's thread.
 */
final class CopyProgramOutput implements Consumer<String> {
    private static final String PREFIX = "igvm-netcat ";
    private static final int KEPT_LINES = 4;

    /** The end of a copy on one side: its size, bytes sent or written, and checksum ({@code -}: none). */
    record End(long size, long bytes, String sha256) {}

    /** One progress report of the sender. */
    record Progress(long done, long total, long bytesPerSecond, long wireBytes) {}

    private final Consumer<Progress> onProgress;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private volatile int port = -1;
    private volatile boolean listening;
    private volatile boolean addressInUse;
    private volatile End end;

    CopyProgramOutput(Consumer<Progress> onProgress) {
        this.onProgress = onProgress;
    }

    @Override
    public void accept(String line) {
        String l = line.strip();
        if (l.isEmpty()) {
            return;
        }
        if (l.startsWith(PREFIX)) {
            String[] w = l.substring(PREFIX.length()).split(" ");
            switch (w[0]) {
                case "progress" -> {
                    if (w.length == 5) {
                        onProgress.accept(new Progress(
                                Long.parseLong(w[1]),
                                Long.parseLong(w[2]),
                                Long.parseLong(w[3]),
                                Long.parseLong(w[4])));
                    }
                    return;
                }
                case "port" -> {
                    port = Integer.parseInt(w[1]);
                    return;
                }
                case "sent", "received" -> {
                    end = new End(Long.parseLong(w[1]), Long.parseLong(w[2]), w[3]);
                    return;
                }
                default -> {}
            }
        } else if (l.startsWith("Listening on ")) {
            listening = true;
        } else if (l.contains("Address already in use")) {
            addressInUse = true;
        }
        remember(l.startsWith(PREFIX + "error ") ? l.substring(PREFIX.length() + "error ".length()) : l);
    }

    private synchronized void remember(String line) {
        if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
        }
        lastLines.addLast(line);
    }

    /** The port the receiver claimed, once it has said so. */
    OptionalInt port() {
        int p = port;
        return p < 0 ? OptionalInt.empty() : OptionalInt.of(p);
    }

    /** Whether {@code nc -l} is listening. */
    boolean listening() {
        return listening;
    }

    /** Whether {@code nc -l} found its port taken (by a socket that came after the probe). */
    boolean addressInUse() {
        return addressInUse;
    }

    /** The end report, once the program has finished its side of the copy. */
    End end() {
        return end;
    }

    /** The last lines that were not reports, joined into one, e.g. an error; or {@code "no output"}. */
    synchronized String lastWords() {
        return lastLines.isEmpty() ? "no output" : String.join("; ", lastLines);
    }
}
