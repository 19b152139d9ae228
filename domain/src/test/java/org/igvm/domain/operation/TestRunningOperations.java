package org.igvm.domain.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.junit.jupiter.api.Test;

/** Operations without inventory: cancellation, rollback on the operation's thread, the messages. */
class TestRunningOperations {
    final RunningOperations operations = new RunningOperations(null);

    @Test
    void aCancelledOperationUndoesOnItsOwnThreadUninterruptedAndSaysWhat() {
        List<String> undone = new ArrayList<>();
        Thread self = Thread.currentThread();
        assertThatThrownBy(() -> operations.run("restart web01", op -> {
                    op.transaction().onRollback("start web01 again", () -> {
                        assertThat(Thread.currentThread()).isSameAs(self);
                        assertThat(Thread.currentThread().isInterrupted()).isFalse();
                        assertThat(op.isCancelled())
                                .as("not cancelled while undoing")
                                .isFalse();
                        op.checkpoint(); // does not throw while undoing
                        Thread.sleep(1); // nor does a wait
                        undone.add("start");
                    });
                    op.transaction().onRollback("restore the old definition of web01", () -> undone.add("define"));
                    Thread canceller = new Thread(() -> operations.cancelAll(null));
                    canceller.start();
                    try {
                        canceller.join();
                    } catch (InterruptedException e) {
                        // the cancellation's interrupt may land here already
                    }
                    op.checkpoint();
                }))
                .isInstanceOf(CancelledException.class)
                .hasMessage("cancelled restart web01; undone: restore the old definition of web01, start web01 again");
        assertThat(undone).containsExactly("define", "start");
        assertThat(Thread.interrupted()).as("our own interrupt is consumed").isFalse();
        assertThat(operations.running()).isEmpty();
    }

    @Test
    void aFailureIsNotACancellationAndAFailingUndoIsReportedWhenCancelled() {
        assertThatThrownBy(() -> operations.run("define db01", (Consumer<RunningOperation>) op -> {
                    op.transaction().onRollback("undefine db01", () -> {});
                    throw new OperationFailedException("db01 did not start");
                }))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("db01 did not start");

        assertThatThrownBy(() -> operations.run("define db01", op -> {
                    op.transaction().onRollback("undefine db01", () -> {
                        throw new IllegalStateException("hypervisor gone");
                    });
                    op.cancel("the lock on db01 was broken by someone else");
                    op.checkpoint();
                }))
                .isInstanceOf(CancelledException.class)
                .hasMessage("cancelled define db01 (the lock on db01 was broken by someone else);"
                        + " could not undo: undefine db01 (hypervisor gone)");
    }

    @Test
    void anInterruptFromOutsideCancelsAndStaysSet() {
        AtomicBoolean undone = new AtomicBoolean();
        assertThatThrownBy(() -> operations.run("stop web01", op -> {
                    op.transaction().onRollback("start web01 again", () -> undone.set(true));
                    Thread.currentThread().interrupt();
                    op.checkpoint();
                }))
                .isInstanceOf(CancelledException.class)
                .hasMessage("cancelled stop web01; undone: start web01 again");
        assertThat(undone).isTrue();
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void aSecondCancelDoesNothingAndACommittedOperationIsNotUndone() {
        List<String> undone = new ArrayList<>();
        String result = operations.run("sync web01", op -> {
            op.transaction().onRollback("never", () -> undone.add("never"));
            op.transaction().commit();
            return "synced";
        });
        assertThat(result).isEqualTo("synced");
        assertThat(undone).isEmpty();

        operations.run("start web01", op -> {
            assertThat(op.cancel(null)).isTrue();
            assertThat(op.cancel(null)).isFalse();
            assertThat(Thread.interrupted())
                    .as("cancelling on its own thread does not interrupt")
                    .isFalse();
            op.transaction().commit();
        });
    }
}
