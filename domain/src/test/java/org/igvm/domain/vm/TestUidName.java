package org.igvm.domain.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestUidName {
    @Test
    void uidNameIsObjectIdAndHostname() {
        assertThat(UidName.of(4242, "web01.example.net")).isEqualTo("4242_web01.example.net");
    }

    @Test
    void aNameBelongsToTheObjectIdBeforeTheFirstUnderscore() {
        assertThat(UidName.belongsTo("4242_web01.example.net", 4242)).isTrue();
        assertThat(UidName.belongsTo("4242_old_name.example.net", 4242)).isTrue(); // renamed VM
        assertThat(UidName.belongsTo("42420_web01.example.net", 4242)).isFalse();
        assertThat(UidName.belongsTo("424_web01.example.net", 4242)).isFalse();
        assertThat(UidName.belongsTo("web01.example.net", 4242)).isFalse();
        assertThat(UidName.belongsTo("_4242", 4242)).isFalse();
    }
}
