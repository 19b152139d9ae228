package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestObjectDocument {
    @Test
    void valuesComeBackInNameAndPositionOrderWhateverTheyHold() {
        Map<String, List<String>> values = Map.of(
                "sshfp", List.of("2 1 ab", "1 1 =:9:", ""),
                "memory", List.of("2048"),
                "os", List.of("x=3:yz \u00e9\uD83D\uDE00"));
        String document = ObjectDocument.encode(values);

        assertThat(document).startsWith("memory=4:2048os=");
        assertThat(ObjectDocument.decode(document))
                .containsExactly(
                        Map.entry("memory", List.of("2048")),
                        Map.entry("os", List.of("x=3:yz \u00e9\uD83D\uDE00")),
                        Map.entry("sshfp", List.of("2 1 ab", "1 1 =:9:", "")));
    }

    @Test
    void theCursorComparesNamesInPlace() {
        ObjectDocument.Cursor cursor =
                new ObjectDocument.Cursor(ObjectDocument.encode(Map.of("num_cpu", List.of("4"))));
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.nameIs("num_cpu")).isTrue();
        assertThat(cursor.nameIs("num_cp")).isFalse();
        assertThat(cursor.nameIs("num_cpus")).isFalse();
        assertThat(cursor.text()).isEqualTo("4");
        assertThat(cursor.next()).isFalse();
    }

    @Test
    void anObjectWithoutValuesHasTheEmptyDocument() {
        assertThat(ObjectDocument.encode(Map.of())).isEmpty();
        assertThat(ObjectDocument.decode("")).isEmpty();
    }

    @Test
    void aDamagedDocumentIsAnErrorNotWrongValues() {
        for (String damaged : List.of("memory=9:2048", "memory4:2048", "memory=x:1", "memory=-1:", "memory=")) {
            assertThatThrownBy(() -> ObjectDocument.decode(damaged))
                    .as(damaged)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("malformed object document");
        }
    }
}
