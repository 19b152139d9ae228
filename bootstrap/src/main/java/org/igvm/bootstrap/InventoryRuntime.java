package org.igvm.bootstrap;

import org.igvm.adapters.inventory.InventoryConfig;
import org.igvm.adapters.inventory.JdbcInventory;
import org.igvm.api.Inventory;
import org.igvm.domain.InventoryService;
import org.igvm.domain.inventory.InventoryPort;

/**
 * The inventory alone, for commands that only read or change the inventory ({@code igvm
 * inventory …}): the store and the domain's inventory service, without the injector, the
 * hypervisor or host adapters, nor the plugins. Building the injector was most of such a
 * command's start-up. The same objects {@link IgvmCoreModule} and the inventory module bind.
 */
public final class InventoryRuntime implements AutoCloseable {
    private final InventoryPort store;
    private final Inventory inventory;

    private InventoryRuntime(InventoryPort store) {
        this.store = store;
        this.inventory = new InventoryService(store, new YamlFleetFormat());
    }

    public static InventoryRuntime start(IgvmConfig config) {
        SqliteNativeLibrary.prepare();
        return new InventoryRuntime(new JdbcInventory(
                new InventoryConfig(config.inventoryUrl(), config.inventoryUser(), config.inventoryPassword())));
    }

    public Inventory inventory() {
        return inventory;
    }

    @Override
    public void close() {
        store.close();
    }
}
