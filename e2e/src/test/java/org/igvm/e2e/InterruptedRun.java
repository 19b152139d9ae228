package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.igvm.cli.Main;
import org.igvm.domain.testing.ChildJvm;

/**
 * An igvm command line run in a process of its own and sent a real SIGINT, as an operator's
 * Ctrl-C: once it printed a line that {@code at} accepts and the lab shows the step under way
 * ({@code inside}, polled), so the signal lands inside that step and not before or after it.
 */
record InterruptedRun(int exit, String output) {

    static <T> InterruptedRun of(Predicate<String> at, String what, Supplier<Optional<T>> inside, String... args)
            throws Exception {
        List<String> seen = new ArrayList<>();
        int exit;
        try (ChildJvm igvm = ChildJvm.startReadingStderr(Main.class, args)) {
            while (seen.isEmpty() || !at.test(seen.get(seen.size() - 1))) {
                try {
                    seen.add(igvm.nextLine(Duration.ofMinutes(3)));
                } catch (AssertionError ended) {
                    throw new AssertionError("igvm ended before " + what + ": " + String.join("\n", seen), ended);
                }
            }
            Lab.await(what, Duration.ofMinutes(2), inside);
            Lab.Proc signal = Lab.run(Duration.ofSeconds(5), "kill", "-INT", String.valueOf(igvm.pid()));
            assertThat(signal.exit()).as("%s", signal).isZero();
            exit = igvm.waitForExit(Duration.ofMinutes(3));
            try {
                while (true) {
                    seen.add(igvm.nextLine(Duration.ofSeconds(1)));
                }
            } catch (AssertionError endOfOutput) {
                // all lines read
            }
        }
        return new InterruptedRun(exit, String.join("\n", seen));
    }
}
