package org.igvm.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.shell.VmFiles;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "mounted" rule on this machine's shell: a directory holding a minimal root file system (sh,
 * cat and their libraries) stands in for a VM disk mounted on the hypervisor.
 */
class TestVmFiles {
    private final LocalShellPort shells = new LocalShellPort(Duration.ofSeconds(30));

    @TempDir
    Path mount;

    @Test
    void mountedFilesAreReachedInAChrootOfTheMountPoint() throws Exception {
        minimalRoot(mount);
        Files.writeString(mount.resolve("only-in-the-vm"), "guest\n");
        VmFiles files = VmFiles.mounted(shells.open("localhost"), mount.toString());

        assertThat(files.isMounted()).isTrue();
        assertThat(files.check(ShellCommand.of("cat", "/only-in-the-vm"))).isEqualTo("guest\n");
        files.put("hello\n".getBytes(StandardCharsets.UTF_8), "/etc/motd", 0644);
        assertThat(Files.readString(mount.resolve("etc/motd"))).isEqualTo("hello\n");
        assertThat(files.check(ShellCommand.of("cat", "/etc/motd"))).isEqualTo("hello\n");
        assertThat(files.get("/etc/motd")).isEqualTo("hello\n".getBytes(StandardCharsets.UTF_8));
        assertThat(files.path("/etc/motd")).isEqualTo(mount + "/etc/motd");
        assertThat(files.run(ShellCommand.of(
                                "cat", mount.resolve("only-in-the-vm").toString()))
                        .succeeded())
                .as("the hypervisor's paths are out of reach inside the chroot")
                .isFalse();
    }

    @Test
    void withoutAMountFilesAreReachedOnTheVmItself() throws Exception {
        Path file = mount.resolve("direct");
        Files.writeString(file, "direct\n");
        VmFiles files = VmFiles.locate(Optional.empty(), shells, "hv-never-opened.example.net", "localhost");

        assertThat(files.isMounted()).isFalse();
        assertThat(files.shell().host()).isEqualTo("localhost");
        assertThat(files.path(file.toString())).isEqualTo(file.toString());
        assertThat(files.check(ShellCommand.of("cat", file.toString()))).isEqualTo("direct\n");
    }

    @Test
    void aReportedMountPointSendsCommandsToTheHypervisor() throws Exception {
        minimalRoot(mount);
        VmFiles files = VmFiles.locate(Optional.of(mount + "/"), shells, "localhost", "vm-never-opened.example.net");
        assertThat(files.isMounted()).isTrue();
        assertThat(files.path("/etc/hosts")).isEqualTo(mount + "/etc/hosts");
        assertThat(files.check(ShellCommand.format("echo {}", "in chroot"))).isEqualTo("in chroot\n");
    }

    @Test
    void relativePathsAreRefused() {
        HostShell shell = shells.open("localhost");
        assertThatThrownBy(() -> VmFiles.mounted(shell, "mnt/vm")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> VmFiles.onVm(shell).path("etc/motd")).isInstanceOf(InvalidInputException.class);
    }

    /** /bin/sh and /bin/cat with the libraries ldd names, enough for chroot to run commands. */
    static void minimalRoot(Path root) throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        for (String program : List.of("/bin/sh", "/bin/cat")) {
            Path real = Path.of(program).toRealPath();
            Files.copy(real, root.resolve(program.substring(1)), StandardCopyOption.REPLACE_EXISTING);
            Process ldd = new ProcessBuilder("ldd", real.toString()).start();
            String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ldd.waitFor()).isZero();
            Matcher m = Pattern.compile("(/\\S+\\.so[.\\d]*)").matcher(out);
            while (m.find()) {
                Path lib = Path.of(m.group(1));
                Path copy = root.resolve(lib.toString().substring(1));
                Files.createDirectories(copy.getParent());
                Files.copy(lib.toRealPath(), copy, StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().setExecutable(true);
            }
        }
    }
}
