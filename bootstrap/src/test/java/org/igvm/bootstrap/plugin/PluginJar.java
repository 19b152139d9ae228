package org.igvm.bootstrap.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar at test time, outside every module's class path: Java sources compiled with
 * the JDK's compiler against igvm's classes (all of them, so that a source can reach for what a
 * plugin must not), a manifest and a service file.
 */
public final class PluginJar {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> providers = new ArrayList<>();
    private final List<Path> classPath = new ArrayList<>();
    private String version;

    /** A class of the jar: its fully qualified name and its source. */
    public PluginJar source(String className, String source) {
        sources.put(className, source);
        return this;
    }

    /** A line of {@code META-INF/services/org.igvm.domain.spi.plugin.IgvmPlugin}. */
    public PluginJar provider(String className) {
        providers.add(className);
        return this;
    }

    /** The jar's {@code Implementation-Version}. */
    public PluginJar version(String version) {
        this.version = version;
        return this;
    }

    /** More to compile against, e.g. another jar of the same plugin folder. */
    public PluginJar compileAgainst(Path jar) {
        classPath.add(jar);
        return this;
    }

    public Path writeTo(Path jar) throws IOException {
        Path work = Files.createTempDirectory(jar.toAbsolutePath().getParent(), ".build-");
        try {
            return writeTo(jar, work);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private Path writeTo(Path jar, Path work) throws IOException {
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            files.add(file.toString());
        }
        if (!files.isEmpty()) {
            compile(files, classes);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (version != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out, manifest);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path c : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(c));
                zip.closeEntry();
            }
            if (!providers.isEmpty()) {
                zip.putNextEntry(new JarEntry("META-INF/services/org.igvm.domain.spi.plugin.IgvmPlugin"));
                zip.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private void compile(List<String> files, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> path = new ArrayList<>();
        // igvm's api and domain (all of it), Guice, SLF4J: what a careless plugin could compile against.
        for (Class<?> c : List.of(
                org.igvm.api.IgvmException.class,
                org.igvm.domain.spi.plugin.IgvmPlugin.class,
                com.google.inject.Injector.class,
                org.slf4j.Logger.class)) {
            path.add(locationOf(c).toString());
        }
        classPath.forEach(p -> path.add(p.toString()));
        List<String> args = new ArrayList<>(
                List.of("--release", "17", "-proc:none", "-d", classes.toString(), "-cp", String.join(":", path)));
        args.addAll(files);
        int status = javac.run(null, null, null, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("a test plugin did not compile; javac's errors are above");
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
