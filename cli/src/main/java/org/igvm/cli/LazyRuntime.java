package org.igvm.cli;

import java.util.List;
import java.util.function.Supplier;
import org.igvm.api.Igvm;
import org.igvm.api.Inventory;
import org.igvm.bootstrap.IgvmRuntime;
import org.igvm.bootstrap.InventoryRuntime;

/**
 * The igvm runtime, created when a command first asks for the API: {@code --help}, {@code
 * --version} and argument errors never read the config nor build the injector.
 */
final class LazyRuntime implements AutoCloseable {
    private final Supplier<IgvmRuntime> start;
    private final Supplier<InventoryRuntime> startInventory;
    private IgvmRuntime runtime;
    private InventoryRuntime inventoryRuntime;
    private boolean closed;

    LazyRuntime(Supplier<IgvmRuntime> start) {
        this(start, null);
    }

    /** With {@code startInventory}, the inventory commands run on the inventory alone (no injector). */
    LazyRuntime(Supplier<IgvmRuntime> start, Supplier<InventoryRuntime> startInventory) {
        this.start = start;
        this.startInventory = startInventory;
    }

    /** The inventory, without starting the whole runtime when it is not running yet. */
    synchronized Inventory inventory() {
        if (runtime != null || startInventory == null) {
            return igvm().inventory();
        }
        if (closed) {
            throw new IllegalStateException("igvm is shutting down");
        }
        if (inventoryRuntime == null) {
            inventoryRuntime = startInventory.get();
        }
        return inventoryRuntime.inventory();
    }

    /** The API, starting the runtime on first use; config errors surface here. */
    synchronized Igvm igvm() {
        if (closed) {
            throw new IllegalStateException("igvm is shutting down");
        }
        if (runtime == null) {
            runtime = start.get();
        }
        return runtime.igvm();
    }

    /** Whether the runtime was started (it has something to release). */
    synchronized boolean started() {
        return runtime != null || inventoryRuntime != null;
    }

    /** Cancels the running operations (none before the runtime starts); their names. */
    List<String> cancelAllNow(String reason) {
        IgvmRuntime started = current();
        return started == null ? List.of() : started.cancelAllNow(reason);
    }

    /** What the cancelled operations still have to undo, as lines for the operator. */
    List<String> stillRunning() {
        IgvmRuntime started = current();
        return started == null ? List.of() : started.stillRunning();
    }

    private synchronized IgvmRuntime current() {
        return runtime;
    }

    /** Releases what the runtime holds, if it was started; may run on the shutdown hook's thread. */
    @Override
    public void close() {
        IgvmRuntime toClose;
        InventoryRuntime inventoryToClose;
        synchronized (this) {
            closed = true;
            toClose = runtime;
            inventoryToClose = inventoryRuntime;
        }
        if (toClose != null) {
            toClose.close();
        }
        if (inventoryToClose != null) {
            inventoryToClose.close();
        }
    }
}
