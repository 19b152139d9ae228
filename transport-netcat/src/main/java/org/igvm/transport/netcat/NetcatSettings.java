package org.igvm.transport.netcat;

import java.time.Duration;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;

/**
 * The settings of {@code transports.netcat:} in igvm's config file, all optional:
 *
 * <pre>{@code
 * transports:
 *   netcat:
 *     port_base: 7000            # listen port: base + the target device's minor, else the first free from base
 *     port_attempts: 100         # ports tried from the first one
 *     listen_timeout: 30s        # for the listener to come up
 *     receive_timeout: 5m        # for the target to write its last blocks and sync once the sender is done
 *     block_size: 1M             # the unit of reading, skipping zeros and checksumming
 *     python: python3            # the interpreter on the hypervisors
 *     lock_dir: /run/lock        # where igvm's listeners claim their ports (igvm-netcat-PORT.lock)
 *     temp_dir: ""               # where the copy program goes (a private igvm-netcat.* directory); "": mktemp's default, $TMPDIR or /tmp
 *     zeroed_block_devices: false
 * }</pre>
 *
 * <p>{@code zeroed_block_devices}: a file target is truncated before the copy, so what is not sent
 * reads as zeros (a hole). A block device target keeps whatever it held, and a freshly created
 * logical volume may hold an older volume's data; so by default zeros are written where nothing was
 * sent (locally on the target; they still do not cross the wire). Set it to {@code true} only where
 * new logical volumes are known to read as zeros (e.g. thin volumes with zeroing on).
 *
 * @param portBase the listen port base
 * @param portAttempts how many ports are tried
 * @param listenTimeout how long the listener may take to come up
 * @param receiveTimeout how long the receiver may take to finish after the sender
 * @param blockSize the copy's block size in bytes
 * @param python the Python 3 interpreter on the hypervisors
 * @param lockDir the directory of the port locks on the target
 * @param tempDir the directory for the copy program's private directory on both hosts; empty for mktemp's default
 * @param zeroedBlockDevices whether block device targets read as zeros before the copy
 * @param flipByteAt for tests only: the receiver corrupts the byte at this offset; {@code -1} for none
 */
public record NetcatSettings(
        int portBase,
        int portAttempts,
        Duration listenTimeout,
        Duration receiveTimeout,
        int blockSize,
        String python,
        String lockDir,
        String tempDir,
        boolean zeroedBlockDevices,
        long flipByteAt) {

    /** The defaults, as with an empty {@code transports.netcat:} section. */
    public static final NetcatSettings DEFAULTS = new NetcatSettings(
            7000, 100, Duration.ofSeconds(30), Duration.ofMinutes(5), 1 << 20, "python3", "/run/lock", "", false, -1);

    /**
     * Reads the section, checks the values, and rejects keys it does not know.
     *
     * @throws InvalidInputException naming the key whose value is out of range, or the unknown key
     */
    public static NetcatSettings from(TransportConfig config) {
        NetcatSettings d = DEFAULTS;
        NetcatSettings s = new NetcatSettings(
                config.intValue("port_base", d.portBase),
                config.intValue("port_attempts", d.portAttempts),
                config.duration("listen_timeout", d.listenTimeout),
                config.duration("receive_timeout", d.receiveTimeout),
                (int) Math.min(Integer.MAX_VALUE, config.size("block_size", d.blockSize)),
                config.string("python", d.python),
                config.string("lock_dir", d.lockDir),
                config.string("temp_dir", d.tempDir),
                config.bool("zeroed_block_devices", d.zeroedBlockDevices),
                -1);
        config.rejectUnknown();
        String section = "transports." + config.transport() + ".";
        if (s.portBase < 1 || s.portBase > 65535) {
            throw new InvalidInputException(section + "port_base must be a port (1..65535), not " + s.portBase);
        }
        if (s.portAttempts < 1) {
            throw new InvalidInputException(section + "port_attempts must be at least 1, not " + s.portAttempts);
        }
        if (s.blockSize < 4096 || s.blockSize > (64 << 20) || s.blockSize % 4096 != 0) {
            throw new InvalidInputException(
                    section + "block_size must be a multiple of 4K from 4K to 64M, not " + s.blockSize);
        }
        if (s.listenTimeout.isNegative() || s.listenTimeout.isZero()) {
            throw new InvalidInputException(section + "listen_timeout must be positive");
        }
        if (s.receiveTimeout.isNegative() || s.receiveTimeout.isZero()) {
            throw new InvalidInputException(section + "receive_timeout must be positive");
        }
        if (s.python.isBlank() || s.lockDir.isBlank()) {
            throw new InvalidInputException(section + "python and lock_dir must not be empty");
        }
        return s;
    }

    /** These settings with the receiver corrupting the byte at {@code offset}: for tests only. */
    NetcatSettings withFlipByteAt(long offset) {
        return new NetcatSettings(
                portBase,
                portAttempts,
                listenTimeout,
                receiveTimeout,
                blockSize,
                python,
                lockDir,
                tempDir,
                zeroedBlockDevices,
                offset);
    }
}
