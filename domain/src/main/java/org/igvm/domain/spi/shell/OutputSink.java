package org.igvm.domain.spi.shell;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a started command's stdout or stderr goes (see {@link HostShell#start(ShellCommand,
 * OutputSink, OutputSink)}). Every sink but {@link #stream()} is drained by the shell, so a
 * command never blocks on a full pipe because nobody reads it.
 *
 * @since 0.2
 */
public sealed interface OutputSink permits OutputSink.Lines, OutputSink.Stream, OutputSink.Collect, OutputSink.Discard {
    /**
     * Each line (UTF-8, without its {@code \n}, {@code \r\n} or {@code \r} ending — progress meters
     * end their lines with {@code \r}) is handed to {@code each} as it arrives, on a thread of the
     * shell's; a last line without an ending is handed over at the end of the output. An exception
     * thrown by {@code each} is logged and the output is still drained.
     *
     * @since 0.2
     */
    static OutputSink lines(Consumer<String> each) {
        return new Lines(each);
    }

    /**
     * The bytes are read by the caller from {@link RunningCommand#stdout()} or {@link
     * RunningCommand#stderr()}; a caller that stops reading blocks the command once the pipe is full.
     *
     * @since 0.2
     */
    static OutputSink stream() {
        return new Stream();
    }

    /**
     * The output is kept in memory and returned in the {@link CommandResult} of {@link
     * RunningCommand#waitFor}. For output of bounded size only.
     *
     * @since 0.2
     */
    static OutputSink collect() {
        return new Collect();
    }

    /**
     * The output is read and dropped.
     *
     * @since 0.2
     */
    static OutputSink discard() {
        return new Discard();
    }

    /**
     * See {@link #lines(Consumer)}.
     *
     * @param each receives every line
     * @since 0.2
     */
    record Lines(Consumer<String> each) implements OutputSink {
        /**
         * Requires a consumer.
         *
         * @since 0.2
         */
        public Lines {
            Objects.requireNonNull(each, "each");
        }
    }

    /**
     * See {@link #stream()}.
     *
     * @since 0.2
     */
    record Stream() implements OutputSink {}

    /**
     * See {@link #collect()}.
     *
     * @since 0.2
     */
    record Collect() implements OutputSink {}

    /**
     * See {@link #discard()}.
     *
     * @since 0.2
     */
    record Discard() implements OutputSink {}
}
