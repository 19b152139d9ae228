package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.igvm.api.UnreachableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Reconnect-once for reads, never for changes, against libvirt's test driver. */
class TestHypervisorConnections {
    private final HypervisorConnections connections = new HypervisorConnections(TestDriverFleet.config());

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void aReadThatLosesItsConnectionRunsOnceMoreOnAFreshOne() throws LibvirtException {
        List<Connect> used = new ArrayList<>();

        int cpus = connections.read(TestDriverFleet.HV01, c -> {
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

        assertThatThrownBy(() -> connections.read(TestDriverFleet.HV01, c -> {
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

        assertThatThrownBy(() -> connections.read(TestDriverFleet.HV01, c -> {
                    used.add(c);
                    c.close();
                    return c.nodeInfo();
                }))
                .isInstanceOf(LibvirtException.class);
        assertThat(used).hasSize(2);
    }

    @Test
    void aChangeThatLosesItsConnectionIsNotRunAgainAndItsEffectIsUnknown() throws LibvirtException {
        List<Connect> used = new ArrayList<>();

        assertThatThrownBy(() -> connections.change(TestDriverFleet.HV01, "start domain 1_web01", c -> {
                    used.add(c);
                    c.close(); // the connection drops under the call
                    return c.nodeInfo();
                }))
                .isInstanceOf(UnreachableException.class)
                .hasMessage("connection to " + TestDriverFleet.HV01
                        + " dropped during start domain 1_web01; its effect is unknown");
        assertThat(used).as("run once, not again").hasSize(1);

        Connect next = connections.connection(TestDriverFleet.HV01);
        assertThat(next).as("the next call gets a fresh connection").isNotSameAs(used.get(0));
        int cpus = connections.read(TestDriverFleet.HV01, c -> c.nodeInfo().cpus);
        assertThat(cpus).isEqualTo(16);
    }

    @Test
    void aChangeThatFailsOtherwiseIsReportedAsItsOwnError() {
        List<Connect> used = new ArrayList<>();

        assertThatThrownBy(() -> connections.change(TestDriverFleet.HV01, "start domain 9999_missing", c -> {
                    used.add(c);
                    return c.domainLookupByName("9999_missing");
                }))
                .isInstanceOfSatisfying(
                        LibvirtException.class,
                        e -> assertThat(e.getError().getCode()).isEqualTo(ErrorNumber.VIR_ERR_NO_DOMAIN));
        assertThat(used).hasSize(1);
        assertThat(connections.connection(TestDriverFleet.HV01)).isSameAs(used.get(0));
    }
}
