package org.igvm.domain.spi.transport;

/**
 * An action that may fail with any exception, e.g. an undo step.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ThrowingRunnable {
    /**
     * Runs the action.
     *
     * @throws Exception whatever the action fails with; an undo step's failure is reported and the
     *     remaining steps still run
     * @since 0.2
     */
    void run() throws Exception;
}
