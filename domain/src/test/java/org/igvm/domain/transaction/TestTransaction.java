package org.igvm.domain.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTransaction {
    @Test
    void undosRunNewestFirstWhenTheOperationFails() {
        List<String> undone = new ArrayList<>();
        assertThatThrownBy(() -> {
                    try (Transaction tx = new Transaction("test")) {
                        tx.onRollback("first", () -> undone.add("first"));
                        tx.onRollback("second", () -> undone.add("second"));
                        tx.onRollback("third", () -> undone.add("third"));
                        throw new IllegalStateException("step four failed");
                    }
                })
                .hasMessage("step four failed");
        assertThat(undone).containsExactly("third", "second", "first");
    }

    @Test
    void aFailingUndoIsLoggedAndTheRestStillRun() {
        List<String> undone = new ArrayList<>();
        try (Transaction tx = new Transaction("test")) {
            tx.onRollback("first", () -> undone.add("first"));
            tx.onRollback("broken", () -> {
                throw new RuntimeException("cannot undo");
            });
            tx.onRollback("third", () -> undone.add("third"));
        }
        assertThat(undone).containsExactly("third", "first");
    }

    @Test
    void aCommittedTransactionUndoesNothing() {
        List<String> undone = new ArrayList<>();
        try (Transaction tx = new Transaction("test")) {
            tx.onRollback("first", () -> undone.add("first"));
            tx.commit();
            assertThat(tx.pendingUndos()).isZero();
        }
        assertThat(undone).isEmpty();
    }

    @Test
    void rollbackRunsEachUndoOnlyOnce() {
        List<String> undone = new ArrayList<>();
        Transaction tx = new Transaction("test");
        tx.onRollback("first", () -> undone.add("first"));
        tx.rollback();
        tx.close();
        assertThat(undone).containsExactly("first");
        assertThatThrownBy(() -> tx.onRollback("late", () -> {})).isInstanceOf(IllegalStateException.class);
    }
}
