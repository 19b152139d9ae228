package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestInventoryModule {
    @TempDir
    Path directory;

    @Test
    void bindsOneJdbcInventoryOnTheConfiguredDatabase() {
        Injector injector =
                Guice.createInjector(new InventoryModule(InventoryConfig.sqlite(directory.resolve("inv.db"))));
        InventoryPort inventory = injector.getInstance(InventoryPort.class);
        assertThat(inventory).isInstanceOf(JdbcInventory.class).isSameAs(injector.getInstance(InventoryPort.class));
        inventory.commit(new Commit(
                List.of(Map.of("object_id", 7L, "servertype", "vm", "hostname", "a.example.net")),
                List.of(),
                List.of()));
        try (JdbcInventory direct = new JdbcInventory(InventoryConfig.sqlite(directory.resolve("inv.db")))) {
            assertThat(direct.get(7).orElseThrow().hostname()).isEqualTo("a.example.net");
        }
        inventory.close();
    }
}
