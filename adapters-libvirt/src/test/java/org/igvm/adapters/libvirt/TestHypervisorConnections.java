package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Reconnect-once behaviour against libvirt's test driver. */
class TestHypervisorConnections {
    private final HypervisorConnections connections = new HypervisorConnections(TestDriverFleet.config());

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void aCallThatLosesItsConnectionRunsOnceMoreOnAFreshOne() throws LibvirtException {
        List<Connect> used = new ArrayList<>();

        int cpus = connections.call(TestDriverFleet.HV01, c -> {
            used.add(c);
            if (used.size() == 1) {
                c.close(); // the connection drops under the call
            }
            return c.nodeInfo().cpus;
        });

        assertThat(cpus).isEqualTo(16);
        assertThat(used).hasSize(2);
        assertThat(used.get(1)).isNotSameAs(used.get(0));
        assertThat(connections.connection(TestDriverFleet.HV01)).isSameAs(used.get(1));
    }

    @Test
    void otherFailuresAreNotRetried() {
        List<Connect> used = new ArrayList<>();

        assertThatThrownBy(() -> connections.call(TestDriverFleet.HV01, c -> {
                    used.add(c);
                    return c.domainLookupByName("9999_missing");
                }))
                .isInstanceOfSatisfying(
                        LibvirtException.class,
                        e -> assertThat(e.getError().getCode()).isEqualTo(ErrorNumber.VIR_ERR_NO_DOMAIN));
        assertThat(used).hasSize(1);
    }

    @Test
    void aSecondLossIsReported() {
        List<Connect> used = new ArrayList<>();

        assertThatThrownBy(() -> connections.call(TestDriverFleet.HV01, c -> {
                    used.add(c);
                    c.close();
                    return c.nodeInfo();
                }))
                .isInstanceOf(LibvirtException.class);
        assertThat(used).hasSize(2);
    }
}
