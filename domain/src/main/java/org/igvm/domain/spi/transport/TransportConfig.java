package org.igvm.domain.spi.transport;

import java.time.Duration;
import java.util.Set;

/**
 * A transport's own section of igvm's config file, {@code transports.<name>:}, read key by key.
 * A value of the wrong type is an {@link org.igvm.api.InvalidInputException} naming the file and
 * the key ({@code transports.netcat.port}); a key that is absent gives the default.
 *
 * <pre>{@code
 * transports:
 *   netcat:
 *     port_base: 7000
 *     verify: true
 *     listen_timeout: 30s
 *     buffer: 4M
 * }</pre>
 *
 * @since 0.2
 */
public interface TransportConfig {
    /**
     * The transport the section belongs to, as in {@code transports.<name>}.
     *
     * @since 0.2
     */
    String transport();

    /**
     * The keys the section has, sorted.
     *
     * @since 0.2
     */
    Set<String> keys();

    /**
     * A text value.
     *
     * @since 0.2
     */
    String string(String key, String defaultValue);

    /**
     * A whole number that fits an {@code int}.
     *
     * @since 0.2
     */
    int intValue(String key, int defaultValue);

    /**
     * A whole number.
     *
     * @since 0.2
     */
    long longValue(String key, long defaultValue);

    /**
     * {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}).
     *
     * @since 0.2
     */
    boolean bool(String key, boolean defaultValue);

    /**
     * A duration: a number with a unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
     * ({@code 30s}, {@code 5m}), or ISO-8601 ({@code PT30S}); a bare number is in seconds.
     *
     * @since 0.2
     */
    Duration duration(String key, Duration defaultValue);

    /**
     * A size in bytes: a number with an optional binary unit {@code K M G T} (with optional
     * {@code iB} or {@code B}, any case), e.g. {@code 4M}, {@code 1GiB}; a bare number is in bytes.
     *
     * @since 0.2
     */
    long size(String key, long defaultBytes);

    /**
     * Fails with an {@link org.igvm.api.InvalidInputException} naming the first key of the section
     * that none of the getters above has read, and the keys that were read. A transport calls it
     * once it has read all its settings, so that a typo is an error rather than silently ignored.
     *
     * @since 0.2
     */
    void rejectUnknown();
}
