package org.igvm.domain.spi.transport;

/**
 * One migration's disk move, in explicit phases that the migrate flow drives the same way for
 * every transport: {@link #prepare()}, {@link #transfer()}, {@link #switchOver()}, {@link
 * #finish()}, each once and in that order, then {@link #close()}. When a phase fails, the
 * operation is cancelled, or a step of the flow between two phases fails, the flow calls {@link
 * #abort()} instead of the remaining phases, then {@link #close()}, then rolls back the
 * transaction (including the transport's {@link UndoRegistry} steps).
 *
 * <h2>Where the flow stops and starts the VM</h2>
 *
 * <table>
 * <caption>The flow around the phases</caption>
 * <tr><th>step</th><th>{@link MigrationMode#OFFLINE OFFLINE}</th>
 *     <th>{@link MigrationMode#ONLINE ONLINE}</th></tr>
 * <tr><td>before {@code prepare}</td>
 *     <td colspan="2">target volumes created (empty), VM in state {@code maintenance}, runs (or not)
 *     on the source</td></tr>
 * <tr><td>{@code prepare}</td><td colspan="2">VM as it was</td></tr>
 * <tr><td>{@code transfer}</td>
 *     <td colspan="2">VM still as it was: whatever can be moved while it runs is moved now</td></tr>
 * <tr><td>between</td><td>the flow shuts the VM down (or, with {@code --no-shutdown}, waits for
 *     the operator to) and waits until it is off</td><td>nothing</td></tr>
 * <tr><td>{@code switchOver}</td><td>VM off: the final copy</td><td>VM running: the live
 *     migration; when it returns the VM runs on the target</td></tr>
 * <tr><td>{@code finish}</td><td colspan="2">verify, free the target volumes, tear down what the
 *     VM's start on the target waits for</td></tr>
 * <tr><td>after {@code finish}</td><td>the flow defines the domain on the target and starts it if
 *     it was running</td><td>the flow makes the target's definition persistent</td></tr>
 * <tr><td>{@code close}</td><td colspan="2">after the move is committed (or rolled back): tear down
 *     what {@code finish} left</td></tr>
 * </table>
 *
 * <p>Offline, a running VM is off from the shutdown until the flow starts it after {@code finish}:
 * what only the source holds (and nothing on the target needs gone) may wait for {@link #close()}.
 *
 * <p>So the three built-in transports fit one flow:
 *
 * <ul>
 *   <li><b>netcat</b> (offline): {@code prepare} starts the listener ({@code nc -l | dd}) on the
 *       target; {@code transfer} does nothing (a running VM's disk cannot be copied
 *       consistently); {@code switchOver} sends the whole disk ({@code dd | nc}) with the VM off;
 *       {@code finish} compares the checksums and stops the listener.
 *   <li><b>drbd</b> (online or offline, LVM): {@code prepare} creates metadata volumes and the
 *       resource on both sides and swaps the running VM's device-mapper table onto the DRBD device
 *       (registering its restore as an undo step); {@code transfer} waits for the full sync while
 *       the VM runs; {@code switchOver} offline: the final sync with the VM off; online: the live
 *       memory migration over the disk already in sync; {@code finish} online tears the resource
 *       down and restores the device-mapper tables; offline it takes only the target's side down,
 *       so the VM can start there, and {@code close} tears down the source's side after the start.
 *   <li><b>qemu</b> (online): {@code prepare} checks the target volumes and reduces vCPU pinning;
 *       {@code transfer} does nothing; {@code switchOver} is libvirt's live migration with
 *       non-shared disk copy, reporting disk and memory progress; {@code finish} restores the
 *       pinning. {@code abort} aborts the libvirt job, leaving the VM running on the source.
 * </ul>
 *
 * <p>Every method runs on the operation's thread, may block for as long as its work takes, ends
 * early when {@link TransportContext#cancellation()} is raised (the thread is interrupted too),
 * and fails with an {@link org.igvm.api.IgvmException} whose message is the operator's one line
 * (what failed, on which host).
 *
 * @since 0.2
 */
public interface TransportSession extends AutoCloseable {
    /**
     * Sets up what the move needs on both sides (target storage such as DRBD metadata, listeners,
     * connections) without touching the VM or its source volume.
     *
     * @since 0.2
     */
    void prepare();

    /**
     * Moves what can be moved while the VM is as it was (the bulk copy or the sync); returns when
     * it is done. A transport that can only copy a stopped disk does nothing here.
     *
     * @since 0.2
     */
    void transfer();

    /**
     * The brief moment: offline, the final copy with the VM shut down; online, the live migration,
     * after which the VM runs on the target.
     *
     * @since 0.2
     */
    void switchOver();

    /**
     * Verifies the target's copy and frees the target volumes; after it returns they hold the VM's
     * disk and the VM may start on them. What else the session set up it tears down here, or, where
     * that only keeps a stopped VM from starting on the target sooner (the source's side of an
     * offline move), in {@link #close()}.
     *
     * @since 0.2
     */
    void finish();

    /**
     * Tears down what the session set up, after any phase (also before {@link #prepare()}, and
     * after a failed {@link #finish()}); like the phases it runs on the operation's thread, once the
     * phase that was running has returned or failed (cancellation interrupts that phase first). It
     * kills the session's processes, never changes the source volume, and online leaves the VM
     * running on the source. Calling it again does nothing. It reports what it could not undo by logging, and
     * throws only when the operator must clean up by hand (the message says what).
     *
     * @since 0.2
     */
    void abort();

    /**
     * Releases what the session holds (processes, threads, connections of its own). A session that
     * has neither finished nor been aborted is aborted first. A finished session tears down what
     * {@link #finish()} left; the flow calls it once the move is committed, before it removes the
     * VM from the source, and reports what it throws as a warning of the migration (the move
     * stands). Calling it again does nothing.
     *
     * @since 0.2
     */
    @Override
    void close();
}
