package org.igvm.domain.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.igvm.api.OperationFailedException;
import org.junit.jupiter.api.Test;

class TestGuestResources {
    @Test
    void readsOnlineCpusMemTotalAndTheRootSize() {
        String output = "0-2,5\nMemTotal:        1192728 kB\nMemFree:  1000 kB\n"
                + "Filesystem           1024-blocks    Used Available Capacity Mounted on\n"
                + "/dev/vda               2031616     54040   1977576   3% /\n";

        GuestResources r = GuestResources.parse("vm1.lab", output);

        assertThat(r).isEqualTo(new GuestResources(4, 1192728, 2031616));
        assertThat(r.memTotalMiB()).isEqualTo(1164);
    }

    @Test
    void aSingleCpuIsOne() {
        assertThat(GuestResources.countCpus("0")).isEqualTo(1);
        assertThat(GuestResources.countCpus("0-15")).isEqualTo(16);
    }

    @Test
    void anAnswerWithoutMemTotalIsAnError() {
        assertThatThrownBy(() -> GuestResources.parse("vm1.lab", "0\n/dev/vda 1 1 1 1% /\n"))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("could not read the MemTotal of vm1.lab from its output");
    }
}
