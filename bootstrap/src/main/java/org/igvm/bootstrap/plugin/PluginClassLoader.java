package org.igvm.bootstrap.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin (a jar, or a folder of jars). Its parent is the JDK's platform
 * loader, so igvm's own class path (Guice, sshj, the domain) is out of reach; only the SPI
 * packages are taken from igvm, before the plugin's jars are looked at, so a plugin shares igvm's
 * SPI types and cannot shadow them. Every other class comes from the plugin's own jars.
 */
public final class PluginClassLoader extends URLClassLoader {
    /** What a plugin sees of igvm, as class-name prefixes. */
    public static final List<String> SPI_PACKAGES = List.of("org.igvm.api.", "org.igvm.domain.spi.", "org.slf4j.");

    private static final List<String> SPI_RESOURCES =
            SPI_PACKAGES.stream().map(p -> p.replace('.', '/')).toList();

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader spiLoader;

    /**
     * @param name the plugin, for diagnostics (its jar or folder)
     * @param jars the plugin's jars
     * @param spiLoader the loader that igvm's SPI classes come from
     */
    public PluginClassLoader(String name, List<URL> jars, ClassLoader spiLoader) {
        super(name, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.spiLoader = spiLoader;
    }

    /** Whether the class is one a plugin shares with igvm. */
    public static boolean isSpiClass(String className) {
        return SPI_PACKAGES.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                // The JDK first (the parent), then the plugin's jars: the usual order for the rest.
                c = isSpiClass(name) ? spiLoader.loadClass(name) : super.loadClass(name, false);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        return isSpiResource(name) ? spiLoader.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isSpiResource(name) ? spiLoader.getResources(name) : super.getResources(name);
    }

    private static boolean isSpiResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return SPI_RESOURCES.stream().anyMatch(path::startsWith);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + getName() + "]";
    }
}
