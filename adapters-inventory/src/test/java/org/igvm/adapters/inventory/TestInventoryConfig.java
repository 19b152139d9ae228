package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestInventoryConfig {
    @Test
    void defaultIsSqliteUnderLocalShare() {
        InventoryConfig config = InventoryConfig.defaults();
        assertThat(config.jdbcUrl())
                .isEqualTo("jdbc:sqlite:" + Path.of(System.getProperty("user.home"), ".local/share/igvm/inventory.db"));
        assertThat(config.user()).isNull();
        assertThat(config.password()).isNull();
    }

    @Test
    void fullMapping() {
        InventoryConfig config = new InventoryConfig("jdbc:postgresql://127.0.0.1/igvm", "igvm", "s3cret");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/igvm");
        assertThat(config.user()).isEqualTo("igvm");
        assertThat(config.password()).isEqualTo("s3cret");
    }

    @Test
    void passwordNeverAppearsInToString() {
        InventoryConfig config = new InventoryConfig(
                "jdbc:postgresql://127.0.0.1/igvm?user=igvm&password=urlpass&ssl=false", "igvm", "s3cret");
        assertThat(config.toString())
                .doesNotContain("s3cret")
                .doesNotContain("urlpass")
                .contains("password=***&ssl=false");
    }
}
