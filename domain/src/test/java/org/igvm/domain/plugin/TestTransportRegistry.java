package org.igvm.domain.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;
import org.junit.jupiter.api.Test;

class TestTransportRegistry {
    private static DiskTransportFactory factory(String name) {
        return new DiskTransportFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<MigrationMode> modes() {
                return Set.of(MigrationMode.ONLINE, MigrationMode.OFFLINE);
            }

            @Override
            public Set<StorageKind> storage() {
                return Set.of(StorageKind.LVM);
            }

            @Override
            public TransportSession create(TransportContext context) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void transportsAreListedByNameAndLookedUpByName() {
        TransportRegistry registry = TransportRegistry.of(
                List.of(
                        RegisteredTransport.of(factory("zeta"), "/plugins/zeta.jar"),
                        RegisteredTransport.of(factory("alpha"), RegisteredTransport.BUILT_IN)),
                name -> null);
        assertThat(registry.all()).extracting(RegisteredTransport::name).containsExactly("alpha", "zeta");
        RegisteredTransport alpha = registry.require("alpha");
        assertThat(alpha.origin()).isEqualTo("built-in (classpath)");
        assertThat(alpha.modes()).containsExactlyInAnyOrder(MigrationMode.ONLINE, MigrationMode.OFFLINE);
        assertThat(alpha.version())
                .as("no manifest version on the test class path")
                .isEqualTo("unknown");
        assertThat(registry.find("beta")).isEmpty();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        TransportRegistry registry = TransportRegistry.of(
                List.of(RegisteredTransport.of(factory("qemu"), "a"), RegisteredTransport.of(factory("netcat"), "b")),
                name -> null);
        assertThatThrownBy(() -> registry.require("rsync"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown disk transport 'rsync'; known transports: netcat, qemu");
        assertThatThrownBy(() -> TransportRegistry.of(List.of(), name -> null).require("rsync"))
                .hasMessage("unknown disk transport 'rsync': no disk transports are installed (see igvm transports)");
    }

    @Test
    void twoWithOneNameNameBothOrigins() {
        assertThatThrownBy(() -> TransportRegistry.of(
                        List.of(
                                RegisteredTransport.of(factory("qemu"), RegisteredTransport.BUILT_IN),
                                RegisteredTransport.of(factory("qemu"), "/plugins/qemu2.jar")),
                        name -> null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("two disk transports are named 'qemu': one from built-in (classpath) (")
                .hasMessageContaining(", one from /plugins/qemu2.jar (")
                .hasMessageEndingWith("); remove one of them");
    }
}
