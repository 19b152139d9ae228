package org.igvm.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.igvm.api.CancelledException;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.operation.RunningOperations;

/**
 * "Cancel at step N" for any multi-step command: wraps the ports an operation works through
 * (hypervisors, inventory, shells, transports: any interface), counts the calls the operation's own
 * thread makes while it does its steps, and at the N-th call cancels the running operations from
 * another thread, as a signal would. Then the call either goes through ({@link Then#PROCEED}: a
 * libvirt call cannot be interrupted) or fails with {@link CancelledException} without its effect
 * ({@link Then#RAISE}: a killed shell command). Calls made while the operation undoes are recorded
 * with their thread and not counted.
 *
 * <p>Run a command with N = 1, 2, … until it finishes without reaching step N ({@link #fired()}
 * false): then every step has been tried.
 */
final class CancelAtStep {
    enum Then {
        PROCEED,
        RAISE
    }

    /** A port call made after the cancellation (an undo, or the lock's release). */
    record LateCall(String method, Thread thread) {}

    private final RunningOperations operations;
    private final int step;
    private final Then then;
    private final AtomicInteger steps = new AtomicInteger();
    private final List<LateCall> lateCalls = new CopyOnWriteArrayList<>();
    private volatile boolean fired;
    private volatile String firedAt;
    private volatile Thread canceller;

    CancelAtStep(RunningOperations operations, int step, Then then) {
        this.operations = operations;
        this.step = step;
        this.then = then;
    }

    /** The port, counted: the operation is cancelled at its N-th step across all wrapped ports. */
    <T> T wrap(Class<T> port, T real) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return invoke(real, method, args);
            }
            RunningOperation op = operations.onThisThread().orElse(null);
            if (op != null && fired) {
                lateCalls.add(new LateCall(port.getSimpleName() + "." + method.getName(), Thread.currentThread()));
            } else if (op != null && op.phase() == RunningOperation.Phase.RUNNING && steps.incrementAndGet() == step) {
                cancelFromAnotherThread(port.getSimpleName() + "." + method.getName());
                if (then == Then.RAISE) {
                    throw new CancelledException("killed at step " + step + " (" + firedAt + ")");
                }
            }
            return invoke(real, method, args);
        }));
    }

    private void cancelFromAnotherThread(String call) throws InterruptedException {
        firedAt = call;
        fired = true;
        Thread signal = new Thread(() -> operations.cancelAll(null), "test-canceller");
        canceller = signal;
        signal.start();
        signal.join();
    }

    private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Whether the command reached step N (and was cancelled there). */
    boolean fired() {
        return fired;
    }

    /** The call at which it was cancelled, e.g. {@code HypervisorPort.define}. */
    String firedAt() {
        return firedAt;
    }

    /** The thread that cancelled. */
    Thread canceller() {
        return canceller;
    }

    List<LateCall> lateCalls() {
        return List.copyOf(lateCalls);
    }
}
