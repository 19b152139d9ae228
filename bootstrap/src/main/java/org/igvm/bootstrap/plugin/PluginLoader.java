package org.igvm.bootstrap.plugin;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds igvm plugins with {@link ServiceLoader}: first on igvm's own class path (the built-in
 * transports, with no special path), then in each plugin directory, where each jar directly in the
 * directory, and each folder of jars, is one plugin with its own {@link PluginClassLoader}. A
 * plugin that does not load (not a jar, no provider, a provider that fails, a class it cannot
 * reach) is one warning line naming it and the cause; the others load all the same.
 */
public final class PluginLoader {
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    private static final String SERVICE_FILE = "META-INF/services/" + IgvmPlugin.class.getName();

    private final ClassLoader igvmLoader;

    /** @param igvmLoader igvm's own class loader: the class path to search, and where the SPI comes from */
    public PluginLoader(ClassLoader igvmLoader) {
        this.igvmLoader = igvmLoader;
    }

    public LoadedPlugins load(List<PluginDirectory> dirs) {
        List<RegisteredTransport> transports = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<PluginClassLoader> loaders = new ArrayList<>();
        loadClassPath(transports, problems);
        for (PluginDirectory dir : dirs) {
            for (List<Path> plugin : plugins(dir, problems)) {
                loadPlugin(plugin, transports, problems, loaders);
            }
        }
        problems.forEach(log::warn);
        return new LoadedPlugins(transports, problems, loaders);
    }

    private void loadClassPath(List<RegisteredTransport> transports, List<String> problems) {
        Iterator<IgvmPlugin> it =
                ServiceLoader.load(IgvmPlugin.class, igvmLoader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                IgvmPlugin plugin = it.next();
                transports.addAll(transportsOf(plugin, RegisteredTransport.BUILT_IN, null));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                // ServiceLoader goes on with the next provider after a failed one.
                problems.add("a built-in plugin was not loaded: " + PluginFailure.describe(e));
            }
        }
    }

    /** Each plugin of the directory as its jars: a jar alone, or the jars of a folder. */
    private static List<List<Path>> plugins(PluginDirectory dir, List<String> problems) {
        if (!Files.isDirectory(dir.path())) {
            if (!dir.mayBeMissing()) {
                problems.add("plugin directory " + dir.path() + " (from " + dir.namedBy()
                        + ") does not exist or is not a directory; no plugins loaded from it");
            }
            return List.of();
        }
        List<List<Path>> plugins = new ArrayList<>();
        for (Path entry : sortedEntries(dir.path(), problems)) {
            if (Files.isDirectory(entry)) {
                List<Path> jars = sortedEntries(entry, problems).stream()
                        .filter(PluginLoader::isJar)
                        .toList();
                if (jars.isEmpty()) {
                    problems.add("plugin folder " + entry + " has no jars; nothing loaded from it");
                } else {
                    plugins.add(jars);
                }
            } else if (isJar(entry)) {
                plugins.add(List.of(entry));
            }
        }
        return plugins;
    }

    private static boolean isJar(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar");
    }

    private static List<Path> sortedEntries(Path dir, List<String> problems) {
        try (Stream<Path> entries = Files.list(dir)) {
            // Hidden entries (.cache, editors' files) are nobody's plugin.
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add("cannot read plugin directory " + dir + ": " + e.getMessage());
            return List.of();
        }
    }

    private void loadPlugin(
            List<Path> jars,
            List<RegisteredTransport> transports,
            List<String> problems,
            List<PluginClassLoader> loaders) {
        Path name = jars.size() == 1 ? jars.get(0) : jars.get(0).getParent();
        String what = jars.size() == 1 ? "plugin " + name : "plugin folder " + name;
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.getManifest(); // reads the central directory: a corrupt zip fails here
                urls.add(jar.toUri().toURL());
            } catch (IOException e) {
                problems.add(what + " not loaded: " + jar + " is not a valid jar (" + e.getMessage() + ")");
                return;
            }
        }
        PluginClassLoader loader = new PluginClassLoader(name.toString(), urls, igvmLoader);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            if (loader.findResource(SERVICE_FILE) == null) {
                problems.add(what + " not loaded: it names no " + IgvmPlugin.class.getSimpleName() + " provider (no "
                        + SERVICE_FILE + ")");
                close(loader);
                return;
            }
            List<RegisteredTransport> found = new ArrayList<>();
            // Libraries inside the plugin that look classes up through the context loader find its own.
            Thread.currentThread().setContextClassLoader(loader);
            for (IgvmPlugin plugin : ServiceLoader.load(IgvmPlugin.class, loader)) {
                // A plugin's own providers only: the loader's parent has none.
                found.addAll(transportsOf(plugin, null, name));
            }
            transports.addAll(found);
            loaders.add(loader);
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            problems.add(what + " not loaded: " + PluginFailure.describe(e));
            close(loader);
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }

    private static List<RegisteredTransport> transportsOf(IgvmPlugin plugin, String origin, Path pluginPath) {
        List<RegisteredTransport> out = new ArrayList<>();
        for (DiskTransportFactory factory : plugin.diskTransports()) {
            out.add(RegisteredTransport.of(factory, origin != null ? origin : jarOf(factory, pluginPath)));
        }
        return out;
    }

    /** The jar the factory's class comes from (for a folder plugin, the one jar of several). */
    private static String jarOf(DiskTransportFactory factory, Path pluginPath) {
        CodeSource source = factory.getClass().getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                return Path.of(source.getLocation().toURI()).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through to the plugin's path
            }
        }
        return pluginPath.toString();
    }

    private static void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("could not close {}: {}", loader, e.getMessage());
        }
    }
}
