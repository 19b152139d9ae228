package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.junit.jupiter.api.Test;

class TestHostNumaTopology {
    @Test
    void cpuIdsBecomeRanges() {
        List<Integer> node0 = Stream.concat(
                        IntStream.rangeClosed(0, 7).boxed(),
                        IntStream.rangeClosed(16, 23).boxed())
                .toList();

        assertThat(HostNumaTopology.cpuset(node0)).isEqualTo("0-7,16-23");
        assertThat(HostNumaTopology.cpuset(List.of(3))).isEqualTo("3");
        assertThat(HostNumaTopology.cpuset(List.of(5, 1, 2, 9))).isEqualTo("1-2,5,9");
    }

    @Test
    void cellsOfAHyperthreadedTwoSocketHost() {
        String caps = "<capabilities><host><topology><cells num='2'>"
                + "<cell id='0'><memory unit='KiB'>67108864</memory><cpus num='4'>"
                + "<cpu id='0'/><cpu id='1'/><cpu id='4'/><cpu id='5'/></cpus></cell>"
                + "<cell id='1'><memory unit='KiB'>67108864</memory><cpus num='4'>"
                + "<cpu id='2'/><cpu id='3'/><cpu id='6'/><cpu id='7'/></cpus></cell>"
                + "</cells></topology></host></capabilities>";

        assertThat(HostNumaTopology.parse(caps))
                .containsExactly(new NumaNode(0, "0-1,4-5", 65536), new NumaNode(1, "2-3,6-7", 65536));
    }
}
