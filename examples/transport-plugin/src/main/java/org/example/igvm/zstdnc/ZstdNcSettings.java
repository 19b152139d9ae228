package org.example.igvm.zstdnc;

import java.time.Duration;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;

/**
 * The {@code transports.zstd-nc:} section of igvm's config file.
 *
 * <pre>{@code
 * transports:
 *   zstd-nc:
 *     port_base: 7600       # first TCP port tried on the target
 *     port_count: 200       # ports tried from port_base on
 *     level: 1              # zstd level, 1..19
 *     block_size: 1M        # dd's block size on both sides
 *     listen_timeout: 30s   # how long the listener may take to listen, and to finish after the sender
 * }</pre>
 *
 * @param portBase the first port tried
 * @param portCount how many ports are tried
 * @param level the zstd compression level
 * @param blockSize dd's block size in bytes
 * @param listenTimeout the listener's deadlines
 */
public record ZstdNcSettings(int portBase, int portCount, int level, long blockSize, Duration listenTimeout) {
    static ZstdNcSettings read(TransportConfig config) {
        int portBase = config.intValue("port_base", 7600);
        int portCount = config.intValue("port_count", 200);
        int level = config.intValue("level", 1);
        long blockSize = config.size("block_size", 1024 * 1024);
        Duration listenTimeout = config.duration("listen_timeout", Duration.ofSeconds(30));
        config.rejectUnknown(); // a typo in the section is an error, not silently a default
        String key = "transports." + config.transport() + ".";
        if (portBase < 1024 || portCount < 1 || portBase + portCount > 65536) {
            throw new InvalidInputException(key + "port_base/port_count: ports " + portBase + ".."
                    + (portBase + portCount - 1) + " are not all in 1024..65535");
        }
        if (level < 1 || level > 19) {
            throw new InvalidInputException(key + "level: " + level + " is not a zstd level 1..19");
        }
        if (blockSize < 4096 || blockSize > 64L * 1024 * 1024) {
            throw new InvalidInputException(key + "block_size: " + blockSize + " bytes is not in 4K..64M");
        }
        if (listenTimeout.isNegative() || listenTimeout.isZero()) {
            throw new InvalidInputException(key + "listen_timeout: must be positive");
        }
        return new ZstdNcSettings(portBase, portCount, level, blockSize, listenTimeout);
    }
}
