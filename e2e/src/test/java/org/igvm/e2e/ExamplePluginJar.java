package org.igvm.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The example third-party transport ({@code examples/transport-plugin/}, {@code zstd-nc}) built into
 * a jar at test time, from its sources, against igvm's SPI (api, domain) and SLF4J only: the same
 * jar {@code mvn -Pexample-plugin -pl examples/transport-plugin -am package} makes, without putting
 * it on any class path of igvm's.
 */
final class ExamplePluginJar {
    static final String NAME = "zstd-nc";

    private ExamplePluginJar() {}

    static Path example() {
        return Path.of(System.getProperty("igvm.repo", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("examples/transport-plugin");
    }

    /** Writes {@code dir/zstd-nc-transport.jar} and returns it. */
    static Path buildInto(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("zstd-nc-transport.jar");
        Path work = Files.createTempDirectory("igvm-example-plugin");
        try {
            Path classes = Files.createDirectories(work.resolve("classes"));
            compile(example().resolve("src/main/java"), classes);
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes()
                    .put(Attributes.Name.IMPLEMENTATION_VERSION, System.getProperty("igvm.version", "0.1.0-SNAPSHOT"));
            try (OutputStream out = Files.newOutputStream(jar);
                    JarOutputStream zip = new JarOutputStream(out, manifest)) {
                add(zip, classes);
                add(zip, example().resolve("src/main/resources"));
            }
            return jar;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void add(JarOutputStream zip, Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
    }

    private static void compile(Path sources, Path classes) throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::toString)
                    .toList();
        }
        // exactly what the example's pom gives it (provided scope): igvm-api, igvm-domain, slf4j-api
        List<String> path = new ArrayList<>();
        for (Class<?> c : List.of(
                org.igvm.api.IgvmException.class,
                org.igvm.domain.spi.plugin.IgvmPlugin.class,
                org.slf4j.Logger.class)) {
            path.add(locationOf(c).toString());
        }
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "17",
                "-proc:none",
                "-Xlint:all",
                "-d",
                classes.toString(),
                "-cp",
                String.join(":", path)));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("examples/transport-plugin did not compile; javac's errors are above");
        }
    }

    private static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
