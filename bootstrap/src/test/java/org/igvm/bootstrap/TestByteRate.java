package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.igvm.api.ByteRate;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.size.SizeParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --bwlimit RATE} reads sizes as every size igvm takes (the domain's SizeParser), per second. */
class TestByteRate {
    @ParameterizedTest
    @ValueSource(strings = {"100M", "1G", "1GiB", "512k", "1.5G", "3mb", "1T"})
    void aRateWithAUnitIsThatSizePerSecond(String text) {
        long bytes = SizeParser.parse(text, SizeParser.Unit.KIB).value() * 1024;
        assertThat(ByteRate.parse(text)).isEqualTo(bytes);
        assertThat(ByteRate.parse(text + "/s")).isEqualTo(bytes);
    }

    @org.junit.jupiter.api.Test
    void aBareNumberIsBytesPerSecond() {
        assertThat(ByteRate.parse("2048")).isEqualTo(2048);
        assertThat(ByteRate.parse("100M")).isEqualTo(100L * 1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10X", "fast", "", "-1M", "0", "0.5"})
    void anythingElseIsOneLine(String text) {
        assertThatThrownBy(() -> ByteRate.parse(text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid rate '" + text + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
