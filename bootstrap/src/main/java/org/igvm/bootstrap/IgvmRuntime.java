package org.igvm.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.igvm.adapters.inventory.InventoryConfig;
import org.igvm.adapters.inventory.InventoryModule;
import org.igvm.adapters.libvirt.LibvirtConfig;
import org.igvm.adapters.libvirt.LibvirtModule;
import org.igvm.api.Igvm;
import org.igvm.bootstrap.plugin.PluginDirectories;
import org.igvm.bootstrap.plugin.PluginModule;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.operation.RunningOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * igvm assembled from a configuration: one Guice injector over the core and the adapters. What an
 * embedding application creates ({@code try (var igvm = IgvmRuntime.start(config)) {
 * igvm.igvm().info("web01"); }}); closing it releases held locks and closes every connection.
 * Everything igvm does is reachable from {@link #igvm()}: the lifecycle there, the inventory,
 * placement and locks through {@code igvm().inventory()}, {@code placement()} and {@code locks()}.
 *
 *
 * <p>An operation is cancelled by interrupting the thread that runs the {@link Igvm} call, or by
 * {@link #cancelAll}: either way it rolls back on its own thread and ends with {@link
 * org.igvm.api.CancelledException}.
 */
public final class IgvmRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IgvmRuntime.class);
    /** How long {@link #close()} waits for cancelled operations to roll back. */
    private static final Duration CLOSE_WAIT = Duration.ofMinutes(2);

    private final Injector injector;
    private final ProvisionedResources resources;
    private volatile boolean closed;

    private IgvmRuntime(Injector injector, ProvisionedResources resources) {
        this.injector = injector;
        this.resources = resources;
    }

    /** Builds the injector; connections open lazily on first use. */
    public static IgvmRuntime start(IgvmConfig config, Module... extra) {
        SqliteNativeLibrary.prepare();
        ProvisionedResources resources = new ProvisionedResources();
        List<Module> modules = new ArrayList<>(modules(config));
        modules.addAll(List.of(extra));
        modules.add(resources.module());
        return new IgvmRuntime(Guice.createInjector(modules), resources);
    }

    /** The Guice modules igvm is made of for this configuration. */
    public static List<Module> modules(IgvmConfig config) {
        return List.of(
                new IgvmCoreModule(config.site(), config.placement(), config.build()),
                new InventoryModule(
                        new InventoryConfig(config.inventoryUrl(), config.inventoryUser(), config.inventoryPassword())),
                new LibvirtModule(
                        new LibvirtConfig(config.libvirtUriTemplate(), config.sshUser(), config.libvirtUris())),
                new HostShellModule(config.ssh()),
                new PluginModule(config.plugins(), System.getenv(PluginDirectories.ENV)));
    }

    public Injector injector() {
        return injector;
    }

    public Igvm igvm() {
        return injector.getInstance(Igvm.class);
    }

    public InventoryPort inventory() {
        return injector.getInstance(InventoryPort.class);
    }

    public ObjectLocks locks() {
        return injector.getInstance(ObjectLocks.class);
    }

    /** The operations running in this runtime (each on the thread that called it). */
    public RunningOperations operations() {
        return injector.getInstance(RunningOperations.class);
    }

    /**
     * Cancels every running operation (the operator pressed Ctrl-C) and waits, at most {@code
     * timeout}, until each has rolled back and released its locks on its own thread. Returns whether
     * none runs any more.
     *
     * @param reason why, for the operator; null when the operator asked for it
     */
    public boolean cancelAll(String reason, Duration timeout) {
        List<RunningOperations> all = resources.created(RunningOperations.class);
        all.forEach(ops -> ops.cancelAll(reason));
        try {
            for (RunningOperations ops : all) {
                if (!ops.awaitNoneRunning(timeout)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #cancelAll(String, Duration)} as the operator's request, waiting up to two minutes. */
    public boolean cancelAll() {
        return cancelAll(null, CLOSE_WAIT);
    }

    /**
     * Cancels every running operation without waiting (a signal handler's part) and returns the
     * names of those this call cancelled; those cancelled before are left to finish their rollback.
     */
    public List<String> cancelAllNow(String reason) {
        return resources.created(RunningOperations.class).stream()
                .flatMap(ops -> ops.cancelAll(reason).stream())
                .map(RunningOperation::name)
                .toList();
    }

    /**
     * For an operator who asks again: per running operation, what it is still undoing and how to
     * clean up if igvm is killed now. Empty when nothing runs.
     */
    public List<String> stillRunning() {
        return running().stream().map(RunningOperation::stillRunning).toList();
    }

    /** The operations still running (to tell an impatient operator what is still being undone). */
    public List<RunningOperation> running() {
        return resources.created(RunningOperations.class).stream()
                .flatMap(ops -> ops.running().stream())
                .toList();
    }

    /**
     * Closes the runtime. Operations still running are cancelled first and roll back on their own
     * threads (never on the closing one); when they have ended, the locks are released and every
     * connection is closed. An operation that does not end within two minutes keeps its locks,
     * which turn stale once their heartbeat has stopped.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Only what was created is released: igvm --help must not open an inventory to close it.
        boolean allEnded = running().isEmpty() || cancelAll(null, CLOSE_WAIT);
        if (!allEnded) {
            running()
                    .forEach(op ->
                            log.warn("{} is still running; its locks stay and turn stale when igvm exits", op.name()));
        } else {
            resources.created(ObjectLocks.class).forEach(locks -> {
                try {
                    locks.releaseAll();
                } catch (RuntimeException e) {
                    log.warn("could not release locks: {}", e.getMessage());
                }
            });
        }
        resources.closeAll();
    }
}
