package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.igvm.api.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (handled like Ctrl-C) sent to an igvm process in the middle of a restart: the operation
 * rolls back on its own thread, a second signal shows what is still being undone, and igvm exits
 * with 130 saying what was undone, leaving the VM running and unlocked.
 */
class TestCancelOnSignal {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSignalCancelsTheRunningRestartAndASecondOneShowsWhatIsStillUndone() throws Exception {
        CliFixture fixture = new CliFixture(dir);
        try (ChildJvm igvm = ChildJvm.start(SignalledRestartProcess.class, fixture.config.toString())) {
            igvm.awaitLineStartingWith("shutdown asked", WAIT);

            signal(igvm, "TERM");
            assertThat(igvm.awaitLineStartingWith("igvm: cancelling", WAIT))
                    .isEqualTo("igvm: cancelling restart web01.example.net;"
                            + " undoing what it did (Ctrl-C again shows what is left)");
            igvm.awaitLineStartingWith("starting", WAIT); // the undo: start web01 again

            signal(igvm, "TERM");
            assertThat(igvm.awaitLineStartingWith("igvm: still", WAIT))
                    .isEqualTo("igvm: still undoing restart web01.example.net: start web01.example.net again;"
                            + " if you kill igvm now, check web01.example.net with `igvm info web01.example.net`"
                            + " and break its lock with `igvm unlock web01.example.net`");

            assertThat(igvm.awaitLineStartingWith("igvm: cancelled", WAIT))
                    .isEqualTo("igvm: cancelled restart web01.example.net (SIGTERM);"
                            + " undone: start web01.example.net again");
            assertThat(igvm.awaitLineStartingWith("state ", WAIT)).isEqualTo("state RUNNING");
            assertThat(igvm.waitForExit(WAIT)).isEqualTo(ExitCodes.CANCELLED);
        }
        CliFixture.Run web01 = fixture.run("inventory", "show", "web01.example.net");
        assertThat(web01.exitCode()).isZero();
        assertThat(web01.out()).doesNotContain("igvm_locked");
    }

    private static void signal(ChildJvm process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }
}
