package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestPrintableText {
    @Test
    void controlAndFormatCharactersBecomeEscapes() {
        assertThat(PrintableText.of("a\nb\tc\rd")).isEqualTo("a\\nb\\tc\\rd");
        assertThat(PrintableText.of("\u202Etxt.exe")).isEqualTo("\\u202etxt.exe");
        assertThat(PrintableText.of("\u0001\u001b[31m")).isEqualTo("\\u0001\\u001b[31m");
        assertThat(PrintableText.of("x\u2028y")).isEqualTo("x\\u2028y");
        assertThat(PrintableText.of("lone \uD800 half")).isEqualTo("lone \\ud800 half");
    }

    @Test
    void printableTextStaysAsItIs() {
        String text = "no VM named 'wéb01 ✓ 😀' (^hv\\d+$)";
        assertThat(PrintableText.of(text)).isSameAs(text);
    }
}
