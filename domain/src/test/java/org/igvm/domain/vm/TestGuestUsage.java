package org.igvm.domain.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.igvm.api.OperationFailedException;
import org.junit.jupiter.api.Test;

class TestGuestUsage {
    static final String OUTPUT =
            """
            MemTotal:        4028400 kB
            MemFree:          210332 kB
            MemAvailable:    2097152 kB
            Buffers:          123456 kB
            0.42 0.30 0.25 2/345 6789
            Filesystem     1024-blocks    Used Available Capacity Mounted on
            /dev/vda1         20511312 9437184  10485760      48% /
            """;

    @Test
    void readsMemAvailableFreeRootSpaceAndOneMinuteLoad() {
        GuestUsage usage = GuestUsage.parse("web01", OUTPUT);
        assertThat(usage).isEqualTo(new GuestUsage(2048, 10, 0.42));
    }

    @Test
    void outputWithoutTheFiguresIsAnErrorNamingTheHost() {
        assertThatThrownBy(() -> GuestUsage.parse("web01", "MemTotal: 1 kB\n"))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("web01")
                .hasMessageContaining("MemAvailable");
    }

    @Test
    void theCommandReadsTheThreeSources() {
        assertThat(GuestUsage.COMMAND.text()).isEqualTo("cat /proc/meminfo /proc/loadavg && df -P -k /");
    }
}
