package org.igvm.transport.netcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy program on its own, sender piped straight into receiver (no nc): framing and edges. */
class TestCopyProgram {
    @TempDir
    Path dir;

    private record Run(int exit, String stderr) {}

    private Run pipeline(String pipe) throws Exception {
        Path program = Files.write(dir.resolve(CopyProgram.FILE_NAME), CopyProgram.source());
        Process p = new ProcessBuilder("sh", "-c", pipe.replace("PROG", "python3 " + program))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Run(p.waitFor(), out);
    }

    private static String checksum(String stderr, String report) {
        return stderr.lines()
                .filter(l -> l.startsWith("igvm-netcat " + report + " "))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + report + " line in: " + stderr));
    }

    @Test
    void aVolumeWithAShortLastBlockAndZeroBlocksArrivesWhole() throws Exception {
        byte[] data = new byte[5 * 4096 + 17];
        new Random(3).nextBytes(data);
        java.util.Arrays.fill(data, 4096, 3 * 4096, (byte) 0); // two all-zero blocks: not sent
        Files.write(dir.resolve("source"), data);
        Files.write(dir.resolve("target"), new byte[] {1, 2, 3}); // old content: truncated away

        Run run = pipeline("PROG send source --block 4096 | PROG recv target");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(dir.resolve("target")).hasBinaryContent(data);
        assertThat(checksum(run.stderr(), "sent")).isEqualTo(checksum(run.stderr(), "received"));
        assertThat(run.stderr())
                .contains("igvm-netcat sent " + data.length + " " + (8 + 12 + 4 * 12 + 3 * 4096 + 17 + 12));
    }

    @Test
    void anEmptyVolumeArrivesEmpty() throws Exception {
        Files.write(dir.resolve("source"), new byte[0]);
        Files.write(dir.resolve("target"), new byte[] {9});
        Run run = pipeline("PROG send source | PROG recv target");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(dir.resolve("target")).isEmptyFile();
    }

    @Test
    void aStreamCutShortFailsTheReceiverWithoutAChecksum() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(4).nextBytes(data);
        Files.write(dir.resolve("source"), data);
        Files.createFile(dir.resolve("target"));
        Run run = pipeline("PROG send source 2>/dev/null | head -c 1500000 | PROG recv target");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("igvm-netcat error the stream ended early")
                .doesNotContain("received");
    }

    @Test
    void theSameContentGivesTheSameChecksumWhetherHolesOrWrittenZeros() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(5).nextBytes(data);
        java.util.Arrays.fill(data, 1 << 20, 6 << 20, (byte) 0);
        Files.write(dir.resolve("written"), data);
        Files.copy(dir.resolve("written"), dir.resolve("sparse"));
        Run punch = pipeline("fallocate --punch-hole --offset 1048576 --length 5242880 sparse");
        assertThat(punch.exit()).as(punch.stderr()).isZero();
        Run a = pipeline("PROG send written > /dev/null");
        Run b = pipeline("PROG send sparse > /dev/null");
        assertThat(checksum(a.stderr(), "sent")).isEqualTo(checksum(b.stderr(), "sent"));
    }
}
