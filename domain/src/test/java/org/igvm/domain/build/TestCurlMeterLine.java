package org.igvm.domain.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestCurlMeterLine {
    @Test
    void aMeterLineGivesBytesTotalAndRate() {
        assertThat(CurlMeterLine.parse(
                        " 45  100M   45 45.2M    0     0  10.1M      0  0:00:09  0:00:04  0:00:05 10.1M"))
                .hasValue(new CurlMeterLine(
                        (long) (45.2 * 1024 * 1024), 100L * 1024 * 1024, (long) (10.1 * 1024 * 1024)));
        assertThat(CurlMeterLine.parse(
                        "100  2048  100  2048    0     0   512k      0 --:--:-- --:--:-- --:--:--  512k"))
                .hasValue(new CurlMeterLine(2048, 2048, 512 * 1024));
    }

    @Test
    void headersAndOtherLinesAreNoMeter() {
        assertThat(CurlMeterLine.parse(
                        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current"))
                .isEmpty();
        assertThat(CurlMeterLine.parse("                                 Dload  Upload   Total   Spent    Left  Speed"))
                .isEmpty();
        assertThat(CurlMeterLine.parse("curl: (22) The requested URL returned error: 404"))
                .isEmpty();
    }
}
