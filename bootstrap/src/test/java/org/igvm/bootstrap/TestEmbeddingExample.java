package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding example ({@code examples/embedding/EmbeddedIgvm.java}) compiles against the API
 * and bootstrap, and run as its own program against the example fleet on libvirt's test driver it
 * does what it says.
 */
class TestEmbeddingExample {
    static final Path EXAMPLE = TestFleet.EXAMPLES.resolve("embedding/EmbeddedIgvm.java");

    @TempDir
    Path dir;

    @Test
    void theExampleCompilesAndRunsAgainstTheTestDriver() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(
                null,
                diagnostics,
                diagnostics,
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString(),
                EXAMPLE.toString());
        assertThat(compiled).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        Path config = writeConfig();
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classes + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                        "EmbeddedIgvm",
                        config.toString(),
                        TestFleet.EXAMPLES.resolve("fleet.yaml").toString())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("stderr.txt"));

        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out.lines().toList())
                .containsExactly(
                        "imported 7 objects",
                        "vm db01.example.net on hv01.example.net",
                        "vm new01.example.net on null",
                        "vm web01.example.net on hv01.example.net",
                        "vm web02.example.net on hv02.example.net",
                        "web01.example.net is stopped",
                        "web01.example.net memory 3072",
                        "web01 restarted with memory 3072",
                        "placement of new01.example.net chooses hv02.example.net among 2 ranked",
                        "web01.example.net is not locked");
    }

    /** Both hypervisors on the test driver; SSH goes to a closed port on loopback. */
    private Path writeConfig() throws Exception {
        Map<String, Object> ssh = TestFleet.loopbackOnlySsh(dir);
        StringBuilder yaml = new StringBuilder();
        yaml.append("inventory:\n  url: \"jdbc:sqlite:")
                .append(dir.resolve("inventory.db"))
                .append("\"\n");
        yaml.append("libvirt:\n  hypervisors:\n");
        for (String hv : List.of("hv01", "hv02")) {
            yaml.append("    ")
                    .append(hv)
                    .append(".example.net: \"test://")
                    .append(TestFleet.EXAMPLES.resolve("testdriver/" + hv + ".xml"))
                    .append("\"\n");
        }
        yaml.append("site:\n  shutdown_timeout_seconds: 5\n");
        yaml.append("ssh:\n");
        ssh.forEach(
                (k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config, yaml.toString().replace("connect_timeout_seconds: \"2\"", "connect_timeout_seconds: 2"));
        return config;
    }
}
