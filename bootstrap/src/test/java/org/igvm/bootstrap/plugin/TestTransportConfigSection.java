package org.igvm.bootstrap.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;
import org.junit.jupiter.api.Test;

/** A transport's section, {@code transports.<name>:}, read with the SPI's typed getters. */
class TestTransportConfigSection {
    private static TransportConfig section(Map<String, Object> values) {
        return new TransportConfigSection("/etc/igvm/config.yaml", "netcat", values);
    }

    @Test
    void everyTypeIsReadAndAbsentKeysGiveTheDefault() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mode", "fast");
        values.put("port", 7000);
        values.put("limit", "12345678901");
        values.put("verify", "no");
        values.put("timeout", "5m");
        values.put("iso", "PT1.5S");
        values.put("bare_seconds", 30);
        values.put("millis", "250ms");
        values.put("buffer", "4M");
        values.put("chunk", "1GiB");
        values.put("bytes", 512);
        TransportConfig c = section(values);
        assertThat(c.transport()).isEqualTo("netcat");
        assertThat(c.string("mode", "slow")).isEqualTo("fast");
        assertThat(c.intValue("port", 1)).isEqualTo(7000);
        assertThat(c.longValue("limit", 1)).isEqualTo(12_345_678_901L);
        assertThat(c.bool("verify", true)).isFalse();
        assertThat(c.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.duration("iso", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.duration("bare_seconds", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.duration("millis", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.size("buffer", 0)).isEqualTo(4L << 20);
        assertThat(c.size("chunk", 0)).isEqualTo(1L << 30);
        assertThat(c.size("bytes", 0)).isEqualTo(512);
        assertThat(c.string("absent", "x")).isEqualTo("x");
        assertThat(c.intValue("absent", 3)).isEqualTo(3);
        assertThat(c.duration("absent", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.size("absent", 77)).isEqualTo(77);
        c.rejectUnknown(); // every key was read: nothing to reject
        assertThat(c.keys()).hasSize(11).first().isEqualTo("bare_seconds");
    }

    @Test
    void aWrongValueIsAnErrorNamingTheSettingAndTheFile() {
        TransportConfig c = section(Map.of("port", "seven", "timeout", "soon", "buffer", "4X", "big", 1L << 40));
        assertThatThrownBy(() -> c.intValue("port", 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("setting 'transports.netcat.port' in /etc/igvm/config.yaml must be a whole number,"
                        + " not 'seven'");
        assertThatThrownBy(() -> c.duration("timeout", Duration.ZERO))
                .hasMessageContaining("'transports.netcat.timeout'")
                .hasMessageContaining("a duration such as 30s");
        assertThatThrownBy(() -> c.size("buffer", 0)).hasMessageContaining("a size such as 4096, 512K");
        assertThatThrownBy(() -> c.intValue("big", 0)).hasMessageContaining("a whole number from");
    }

    @Test
    void aKeyNoGetterReadIsRejectedWithTheKnownOnes() {
        TransportConfig c = section(Map.of("port", 7000, "prot", 7001));
        c.intValue("port", 0);
        assertThatThrownBy(c::rejectUnknown)
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown setting 'transports.netcat.prot' in /etc/igvm/config.yaml;"
                        + " known settings of transport netcat: port");
    }
}
