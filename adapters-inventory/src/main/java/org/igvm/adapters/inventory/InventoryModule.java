package org.igvm.adapters.inventory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.igvm.domain.inventory.InventoryPort;

/** Binds {@link InventoryPort} to one {@link JdbcInventory} opened from the given configuration. */
public final class InventoryModule extends AbstractModule {
    private final InventoryConfig config;

    public InventoryModule(InventoryConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    InventoryPort inventory() {
        return new JdbcInventory(config);
    }
}
