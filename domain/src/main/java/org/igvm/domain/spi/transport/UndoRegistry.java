package org.igvm.domain.spi.transport;

/**
 * The migration's transaction, as far as a transport takes part in it: a lasting change the
 * transport makes (one that must be reversed if the migration as a whole fails, even after the
 * session has finished, e.g. a device-mapper table swapped onto a DRBD device) registers its undo
 * step here. Steps run newest first when the transaction rolls back, on the operation's own
 * thread; they do not run when it commits.
 *
 * <p>What only lives as long as the session (a listener, a watcher process) is torn down by
 * {@link TransportSession#abort()} and {@link TransportSession#close()} instead.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface UndoRegistry {
    /**
     * Registers an undo step.
     *
     * @param description what the step undoes, in words, for the operator's rollback report, e.g.
     *     {@code "restore the device-mapper table of vg0/web01"}
     * @param undo the step
     * @since 0.2
     */
    void onRollback(String description, ThrowingRunnable undo);
}
