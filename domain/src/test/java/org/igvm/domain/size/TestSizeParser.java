package org.igvm.domain.size;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.igvm.api.InvalidInputException;
import org.igvm.domain.size.SizeParser.Unit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestSizeParser {
    @ParameterizedTest
    @CsvSource({
        "2048, MIB, 2048, false",
        "4G, MIB, 4096, false",
        "4g, MIB, 4096, false",
        "4GiB, MIB, 4096, false",
        "4gb, MIB, 4096, false",
        "1T, GIB, 1024, false",
        "512M, GIB, 0.5, false",
        "+1G, MIB, 1024, true",
        "-512, MIB, -512, true",
        "+10, GIB, 10, true",
        "1.5G, MIB, 1536, false",
        "2097152K, GIB, 2, false",
    })
    void parsesUnitsAndRelativeSizes(String text, Unit unit, String expected, boolean relative) {
        if (expected.contains(".")) {
            assertThatThrownBy(() -> SizeParser.parse(text, unit))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("not a whole number of GiB");
            return;
        }
        Size size = SizeParser.parse(text, unit);
        assertThat(size.value()).isEqualTo(Long.parseLong(expected));
        assertThat(size.relative()).isEqualTo(relative);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "G", "abc", "4X", "4 GG", "--4", "1e3", "0x10"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text, Unit.MIB))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid size '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"1.1G, MIB", "1K, MIB", "1.25, GIB"})
    void rejectsResultsThatAreNotWhole(String text, Unit unit) {
        assertThatThrownBy(() -> SizeParser.parse(text, unit))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a whole number");
    }

    @ParameterizedTest
    @CsvSource({"+1024, 2048, 3072", "-1024, 2048, 1024", "4096, 2048, 4096"})
    void resolvesAgainstTheCurrentValue(String text, long current, long expected) {
        assertThat(SizeParser.parse(text, Unit.MIB).resolve(current)).isEqualTo(expected);
    }
}
