package org.igvm.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs in to a guest over SSH again and again (a new login each time, strict host keys) and keeps
 * every answer: whether it came, when, and the guest's uptime. The longest gap between two
 * answers is the time the guest was unreachable.
 */
final class GuestProber implements AutoCloseable {
    /** One login: when it started and ended (ns, {@link System#nanoTime()}), its uptime if it answered. */
    record Probe(long startNanos, long endNanos, Optional<Double> uptime, String failure) {
        boolean answered() {
            return uptime.isPresent();
        }
    }

    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /**
     * Logins one after the other, {@code pause} apart, each given {@code timeout} (its connection and
     * banner half of it): a login that gave up leaves no SSH server child busy in the guest, so a slow
     * guest is not buried under probes.
     */
    GuestProber(Lab lab, String guest, Duration pause, Duration timeout) {
        this(lab, guest, pause, timeout, timeout.dividedBy(2));
    }

    /** Logins {@code pause} apart, each with its own overall and connection deadline. */
    GuestProber(Lab lab, String guest, Duration pause, Duration timeout, Duration connect) {
        thread = new Thread(
                () -> {
                    while (running.get()) {
                        long start = System.nanoTime();
                        Lab.Proc p = lab.ssh(guest, "cut -d' ' -f1 /proc/uptime", timeout, connect);
                        long end = System.nanoTime();
                        probes.add(
                                p.exit() == 0
                                        ? new Probe(
                                                start,
                                                end,
                                                Optional.of(Double.parseDouble(
                                                        p.out().strip())),
                                                "")
                                        : new Probe(
                                                start,
                                                end,
                                                Optional.empty(),
                                                "exit " + p.exit() + " "
                                                        + p.err().strip()));
                        try {
                            Thread.sleep(pause.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "ssh-probe-" + guest);
        thread.setDaemon(true);
        thread.start();
    }

    List<Probe> probes() {
        return List.copyOf(probes);
    }

    List<String> failures() {
        return probes.stream().filter(p -> !p.answered()).map(Probe::failure).toList();
    }

    List<Double> uptimes() {
        return probes.stream().flatMap(p -> p.uptime().stream()).toList();
    }

    long answers() {
        return probes.stream().filter(Probe::answered).count();
    }

    /** Until {@code n} logins in all have answered. */
    void awaitAnswers(long n, Duration deadline) {
        Lab.await(n + " SSH logins answered", deadline, () -> answers() >= n ? Optional.of(true) : Optional.empty());
    }

    /**
     * The longest time between the end of one answered login and the start of the next answered
     * one: how long the guest did not answer (zero when no login failed).
     */
    Duration longestOutage() {
        long longest = 0;
        Probe lastAnswer = null;
        boolean failedSince = false;
        for (Probe p : probes) {
            if (!p.answered()) {
                failedSince = true;
                continue;
            }
            if (lastAnswer != null && failedSince) {
                longest = Math.max(longest, p.startNanos() - lastAnswer.endNanos());
            }
            lastAnswer = p;
            failedSince = false;
        }
        return Duration.ofNanos(longest);
    }

    void stop() {
        running.set(false);
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
