package org.igvm.transport.netcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.junit.jupiter.api.Test;

/** The plugin as ServiceLoader finds it, and the settings of {@code transports.netcat:}. */
class TestNetcatTransportFactory {
    @Test
    void theServiceFileOffersTheNetcatTransport() {
        List<DiskTransportFactory> factories = ServiceLoader.load(IgvmPlugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(NetcatPlugin.class::isInstance)
                .flatMap(p -> StreamSupport.stream(p.diskTransports().spliterator(), false))
                .toList();
        assertThat(factories).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("netcat");
            assertThat(f.modes()).containsExactly(MigrationMode.OFFLINE);
            assertThat(f.storage()).containsExactlyInAnyOrder(StorageKind.FILE, StorageKind.LVM);
            assertThat(f.version()).isNotBlank();
        });
    }

    @Test
    void anEmptySectionGivesTheDefaults() {
        assertThat(NetcatSettings.from(new MapTransportConfig(Map.of())))
                .isEqualTo(NetcatSettings.DEFAULTS)
                .satisfies(s -> {
                    assertThat(s.portBase()).isEqualTo(7000);
                    assertThat(s.blockSize()).isEqualTo(1 << 20);
                    assertThat(s.zeroedBlockDevices()).isFalse();
                    assertThat(s.flipByteAt()).isEqualTo(-1);
                });
    }

    @Test
    void everyKeyIsRead() {
        NetcatSettings s = NetcatSettings.from(new MapTransportConfig(Map.of(
                "port_base", "9000",
                "port_attempts", "7",
                "listen_timeout", "5s",
                "receive_timeout", "2m",
                "block_size", "4M",
                "python", "/usr/bin/python3",
                "lock_dir", "/var/lock",
                "temp_dir", "/var/tmp",
                "zeroed_block_devices", "true")));
        assertThat(s)
                .isEqualTo(new NetcatSettings(
                        9000,
                        7,
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(2),
                        4 << 20,
                        "/usr/bin/python3",
                        "/var/lock",
                        "/var/tmp",
                        true,
                        -1));
    }

    @Test
    void anUnknownKeyOrABadValueIsRefused() {
        assertThatThrownBy(() -> NetcatSettings.from(new MapTransportConfig(Map.of("prot_base", "7000"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("prot_base");
        assertThatThrownBy(() -> NetcatSettings.from(new MapTransportConfig(Map.of("block_size", "1000"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("transports.netcat.block_size");
        assertThatThrownBy(() -> NetcatSettings.from(new MapTransportConfig(Map.of("port_base", "70000"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("transports.netcat.port_base");
    }
}
