package org.igvm.domain.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestOpenTransactions {
    @Test
    void anInterruptedProcessUndoesWhatItsOpenOperationsDid() {
        OpenTransactions open = new OpenTransactions();
        List<String> undone = new ArrayList<>();
        Transaction first = open.begin("define web01");
        first.onRollback("undefine web01", () -> undone.add("undefine web01"));
        Transaction second = open.begin("restart db01");
        second.onRollback("start db01 again", () -> undone.add("start db01 again"));
        try (Transaction done = open.begin("sync web02")) {
            done.onRollback("never", () -> undone.add("never"));
            done.commit();
        }
        assertThat(open.size()).isEqualTo(2);

        open.rollbackAll(); // what the Ctrl-C hook does

        assertThat(undone).containsExactly("start db01 again", "undefine web01");
        assertThat(open.size()).isZero();
        first.close(); // the interrupted thread's own close changes nothing more
        assertThat(undone).hasSize(2);
    }
}
