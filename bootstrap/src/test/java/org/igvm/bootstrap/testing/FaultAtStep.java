package org.igvm.bootstrap.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.operation.RunningOperations;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;

/**
 * A fault at step N of any multi-step command: wraps the ports an operation works through
 * (inventory, hypervisors, host shells and the shells they open, transport sessions), counts the
 * calls the operation's own thread makes while it does its steps, and at the N-th call injects
 * the {@link Fault}. Calls made after the fault (the undo, the lock's release) are recorded with
 * their thread and not counted. A poll (the same method called again and again, as while a guest
 * shuts down) is one step: its first call; an accessor such as {@code HostShell.host} is none.
 *
 * <p>Run a command with N = 1, 2, … until it finishes without reaching step N ({@link #fired()}
 * false): then every step has been tried.
 */
public final class FaultAtStep {
    /** What happens at step N. */
    public enum Fault {
        /** The operation is cancelled (as by a signal) and the call goes through: a libvirt call cannot be interrupted. */
        CANCEL_THEN_PROCEED,
        /** The operation is cancelled and the call fails without its effect: a killed shell command. */
        CANCEL_THEN_RAISE,
        /** The call fails without its effect and nobody cancels: a host or libvirt error. */
        FAIL
    }

    /** A port call made after the fault (an undo, or the lock's release). */
    public record LateCall(String method, Thread thread) {}

    private final RunningOperations operations;
    private final int step;
    private final Fault fault;
    /** Calls that do nothing on a host: never a step. */
    private static final Set<String> NOT_STEPS = Set.of("HostShell.host");

    private final AtomicInteger steps = new AtomicInteger();
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private volatile String lastCall;
    private final List<LateCall> lateCalls = new CopyOnWriteArrayList<>();
    private volatile boolean fired;
    private volatile String firedAt;
    private volatile Thread canceller;

    public FaultAtStep(RunningOperations operations, int step, Fault fault) {
        this.operations = operations;
        this.step = step;
        this.fault = fault;
    }

    /**
     * The harness over a copy of {@code real} whose inventory, hypervisors and shells are counted,
     * with locks and running operations of its own (over the counted inventory, locks stale after
     * an hour). The environment is {@link #environment()}.
     */
    public static FaultAtStep over(CommandEnvironment real, int step, Fault fault) {
        // The harness needs the operations, the operations need the locks over the wrapped inventory.
        AtomicReference<FaultAtStep> late = new AtomicReference<>();
        InventoryPort inventory = lazily(InventoryPort.class, real.inventory(), late);
        ObjectLocks locks = new ObjectLocks(inventory, Clock.systemUTC(), LockOwner.current(), Duration.ofHours(1));
        RunningOperations operations = new RunningOperations(locks);
        FaultAtStep harness = new FaultAtStep(operations, step, fault);
        late.set(harness);
        harness.environment = new CommandEnvironment(
                inventory,
                harness.wrap(HypervisorPort.class, real.hypervisors()),
                real.settings(),
                locks,
                operations,
                harness.wrap(HostShellPort.class, real.shells()),
                real.clock());
        return harness;
    }

    private CommandEnvironment environment;

    /** The counted environment of {@link #over}. */
    public CommandEnvironment environment() {
        if (environment == null) {
            throw new IllegalStateException("made with the constructor: wrap the ports yourself");
        }
        return environment;
    }

    /** The port, counted: the fault comes at the N-th step across all wrapped ports. */
    public <T> T wrap(Class<T> port, T real) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return invoke(real, method, args);
            }
            String call = port.getSimpleName() + "." + method.getName();
            RunningOperation op = operations.onThisThread().orElse(null);
            if (op != null && fired) {
                lateCalls.add(new LateCall(call, Thread.currentThread()));
            } else if (op != null
                    && op.phase() == RunningOperation.Phase.RUNNING
                    && isNewStep(call)
                    && counted(call) == step) {
                firedAt = call;
                fired = true;
                switch (fault) {
                    case FAIL -> throw new OperationFailedException(
                            "injected failure at step " + step + " (" + call + ")");
                    case CANCEL_THEN_RAISE -> {
                        cancelFromAnotherThread();
                        throw new CancelledException("killed at step " + step + " (" + call + ")");
                    }
                    case CANCEL_THEN_PROCEED -> cancelFromAnotherThread();
                }
            }
            Object result = invoke(real, method, args);
            // The shells a shell port opens are steps too (each command started on them).
            return result instanceof HostShell shell && method.getReturnType() == HostShell.class
                    ? wrap(HostShell.class, shell)
                    : result;
        }));
    }

    private int counted(String call) {
        counted.add(call);
        return steps.incrementAndGet();
    }

    private boolean isNewStep(String call) {
        if (NOT_STEPS.contains(call)) {
            return false;
        }
        boolean repeated = call.equals(lastCall);
        lastCall = call;
        return !repeated;
    }

    /** The factory, with its sessions counted by the harness that {@code harness} holds when a session is made. */
    public static DiskTransportFactory transport(DiskTransportFactory real, AtomicReference<FaultAtStep> harness) {
        return new DiskTransportFactory() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public Set<MigrationMode> modes() {
                return real.modes();
            }

            @Override
            public Set<StorageKind> storage() {
                return real.storage();
            }

            @Override
            public String version() {
                return real.version();
            }

            @Override
            public TransportSession create(TransportContext context) {
                return harness.get().wrap(TransportSession.class, real.create(context));
            }
        };
    }

    /** {@code real} behind a proxy that goes through the harness {@code harness} holds at each call (none yet: straight through). */
    public static <T> T lazily(Class<T> port, T real, AtomicReference<FaultAtStep> harness) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (p, m, args) -> {
            T target = harness.get() == null ? real : harness.get().wrap(port, real);
            return invoke(target, m, args);
        }));
    }

    private void cancelFromAnotherThread() throws InterruptedException {
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

    /** Whether the command reached step N (and the fault was injected there). */
    public boolean fired() {
        return fired;
    }

    /** The call at which the fault came, e.g. {@code HypervisorPort.define}. */
    public String firedAt() {
        return firedAt;
    }

    /** The thread that cancelled (none for {@link Fault#FAIL}). */
    public Thread canceller() {
        return canceller;
    }

    /** The steps so far, in order, the faulted one last (e.g. to tell whether it came after a commit). */
    public List<String> steps() {
        return List.copyOf(counted);
    }

    public List<LateCall> lateCalls() {
        return List.copyOf(lateCalls);
    }
}
