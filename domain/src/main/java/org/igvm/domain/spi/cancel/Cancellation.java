package org.igvm.domain.spi.cancel;

import org.igvm.api.CancelledException;

/**
 * The cancellation signal of one running operation, for the operation's own code and for
 * transports. Cancelling also interrupts the operation's thread, so every blocking wait (a shell
 * command, a sleep, a poll) ends at once; code that does not block checks {@link
 * #throwIfCancelled()} between its steps.
 *
 * @since 0.2
 */
public interface Cancellation {
    /**
     * Whether the operation has been cancelled.
     *
     * @since 0.2
     */
    boolean isCancelled();

    /**
     * Fails with {@link CancelledException} when the operation has been cancelled.
     *
     * @since 0.2
     */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancelledException("cancelled");
        }
    }

    /**
     * Runs the action when the operation is cancelled (at once if it already is), on the thread
     * that cancels. Closing the registration removes the action.
     *
     * @since 0.2
     */
    Registration onCancel(Runnable action);

    /**
     * A signal that is never raised, for operations nobody can cancel.
     *
     * @since 0.2
     */
    static Cancellation never() {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public Registration onCancel(Runnable action) {
                return () -> {};
            }
        };
    }

    /**
     * An action registered with {@link #onCancel}.
     *
     * @since 0.2
     */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        /** Removes the action; it will not run any more. */
        @Override
        void close();
    }
}
