package org.igvm.api;

import java.time.Duration;

/**
 * Where {@link Igvm#build} reports how a build goes: the CLI prints these events, an embedding
 * application may show them. Every method may be called from any thread; none may block. All have
 * empty defaults, so a listener implements only what it shows.
 *
 * @since 0.4
 */
public interface BuildProgress {
    /**
     * A step of the build begins, e.g. {@code validate}, {@code volume}, {@code image}, {@code
     * puppet}, {@code wait-ssh} (the steps of {@link BuildPlan#steps()}, in that order).
     *
     * @since 0.4
     */
    default void step(String step) {}

    /**
     * The step that began last is done.
     *
     * @since 0.4
     */
    default void stepDone(String step, Duration took) {}

    /**
     * Something within the current step, in words (a cached image reused, Puppet retried).
     *
     * @since 0.4
     */
    default void detail(String description) {}

    /**
     * The image download so far.
     *
     * @param total bytes to download, or {@code -1} when unknown
     * @param bytesPerSecond the current rate, or {@code -1} when unknown
     * @since 0.4
     */
    default void download(long done, long total, long bytesPerSecond) {}

    /**
     * A listener that drops everything.
     *
     * @since 0.4
     */
    static BuildProgress none() {
        return new BuildProgress() {};
    }
}
