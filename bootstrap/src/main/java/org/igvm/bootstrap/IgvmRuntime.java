package org.igvm.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.util.ArrayList;
import java.util.List;
import org.igvm.adapters.inventory.InventoryConfig;
import org.igvm.adapters.inventory.InventoryModule;
import org.igvm.adapters.libvirt.LibvirtConfig;
import org.igvm.adapters.libvirt.LibvirtModule;
import org.igvm.api.Igvm;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.transaction.OpenTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * igvm assembled from a configuration: one Guice injector over the core and the adapters. What an
 * embedding application creates ({@code try (var igvm = IgvmRuntime.start(config)) {
 * igvm.igvm().info("web01"); }}); closing it releases held locks and closes every connection.
 * Everything igvm does is reachable from {@link #igvm()}: the lifecycle there, the inventory,
 * placement and locks through {@code igvm().inventory()}, {@code placement()} and {@code locks()}.
 */
public final class IgvmRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IgvmRuntime.class);

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
                new IgvmCoreModule(config.site(), config.placement()),
                new InventoryModule(
                        new InventoryConfig(config.inventoryUrl(), config.inventoryUser(), config.inventoryPassword())),
                new LibvirtModule(
                        new LibvirtConfig(config.libvirtUriTemplate(), config.sshUser(), config.libvirtUris())),
                new HostShellModule(config.ssh()));
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

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Only what was created is released: igvm --help must not open an inventory to close it.
        // An interrupted operation (Ctrl-C) is undone first, while its locks still protect it.
        resources.created(OpenTransactions.class).forEach(OpenTransactions::rollbackAll);
        resources.created(ObjectLocks.class).forEach(locks -> {
            try {
                locks.releaseAll();
            } catch (RuntimeException e) {
                log.warn("could not release locks: {}", e.getMessage());
            }
        });
        resources.closeAll();
    }
}
