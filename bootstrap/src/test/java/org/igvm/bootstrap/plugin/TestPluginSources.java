package org.igvm.bootstrap.plugin;

/** Sources of the plugins the tests compile into jars. */
public final class TestPluginSources {
    private TestPluginSources() {}

    /**
     * A plugin with one offline transport that copies each volume with {@code dd} on the target's
     * shell in the switch-over, reports progress, registers an undo step and verifies with {@code
     * cmp}. Its block size comes from {@code transports.<name>.block_size}.
     */
    public static PluginJar copyTransport(String pkg, String name) {
        return new PluginJar()
                .source(
                        pkg + ".CopyPlugin",
                        """
                        package %1$s;

                        import java.util.List;
                        import org.igvm.domain.spi.plugin.IgvmPlugin;
                        import org.igvm.domain.spi.transport.DiskTransportFactory;

                        public final class CopyPlugin implements IgvmPlugin {
                            @Override
                            public Iterable<DiskTransportFactory> diskTransports() {
                                return List.of(new CopyTransportFactory());
                            }
                        }
                        """
                                .formatted(pkg))
                .source(
                        pkg + ".CopyTransportFactory",
                        """
                        package %1$s;

                        import java.util.Set;
                        import org.igvm.domain.spi.transport.*;

                        public final class CopyTransportFactory implements DiskTransportFactory {
                            @Override
                            public String name() {
                                return "%2$s";
                            }

                            @Override
                            public Set<MigrationMode> modes() {
                                return Set.of(MigrationMode.OFFLINE);
                            }

                            @Override
                            public Set<StorageKind> storage() {
                                return Set.of(StorageKind.FILE, StorageKind.LVM);
                            }

                            @Override
                            public TransportSession create(TransportContext context) {
                                long blockSize = context.config().size("block_size", 65536);
                                context.config().rejectUnknown();
                                return new CopySession(context, blockSize);
                            }
                        }
                        """
                                .formatted(pkg, name))
                .source(
                        pkg + ".CopySession",
                        """
                        package %1$s;

                        import org.igvm.domain.spi.shell.ShellCommand;
                        import org.igvm.domain.spi.transport.*;

                        final class CopySession implements TransportSession {
                            private final TransportContext context;
                            private final long blockSize;
                            private boolean aborted;

                            CopySession(TransportContext context, long blockSize) {
                                this.context = context;
                                this.blockSize = blockSize;
                            }

                            @Override
                            public void prepare() {
                                // SLF4J is part of what a plugin sees.
                                org.slf4j.LoggerFactory.getLogger(CopySession.class).info("copying {}", context.vm().hostname());
                                context.progress().step("copying with blocks of " + blockSize + " bytes");
                            }

                            @Override
                            public void transfer() {}

                            @Override
                            public void switchOver() {
                                for (TransportVolume v : context.volumes()) {
                                    context.cancellation().throwIfCancelled();
                                    context.targetShell().check(ShellCommand.of(
                                            "dd", "if=" + v.sourcePath(), "of=" + v.targetPath(),
                                            "bs=" + blockSize, "status=none"));
                                    context.undo().onRollback("empty " + v.targetPath(), () ->
                                            context.targetShell().check(ShellCommand.of("truncate", "-s", "0", v.targetPath())));
                                    context.progress().bytes(v.sizeBytes(), v.sizeBytes(), -1);
                                }
                            }

                            @Override
                            public void finish() {
                                for (TransportVolume v : context.volumes()) {
                                    context.targetShell().check(ShellCommand.of("cmp", v.sourcePath(), v.targetPath()));
                                }
                                context.progress().step("verified");
                            }

                            @Override
                            public void abort() {
                                aborted = true;
                            }

                            @Override
                            public void close() {}
                        }
                        """
                                .formatted(pkg))
                .provider(pkg + ".CopyPlugin")
                .version("1.2.3");
    }

    /** A plugin whose provider reaches for a domain class outside the SPI. */
    public static PluginJar reachingForInternals() {
        return new PluginJar()
                .source(
                        "org.example.sneaky.SneakyPlugin",
                        """
                        package org.example.sneaky;

                        import org.igvm.domain.spi.plugin.IgvmPlugin;

                        public final class SneakyPlugin implements IgvmPlugin {
                            private final Class<?> internals = org.igvm.domain.lock.ObjectLocks.class;
                        }
                        """)
                .provider("org.example.sneaky.SneakyPlugin");
    }

    /** A plugin whose provider's constructor throws. */
    public static PluginJar throwingProvider() {
        return new PluginJar()
                .source(
                        "org.example.grumpy.GrumpyPlugin",
                        """
                        package org.example.grumpy;

                        import org.igvm.domain.spi.plugin.IgvmPlugin;

                        public final class GrumpyPlugin implements IgvmPlugin {
                            public GrumpyPlugin() {
                                throw new IllegalStateException("no licence key");
                            }
                        }
                        """)
                .provider("org.example.grumpy.GrumpyPlugin");
    }

    /** A plugin that tells its class loader's view: whether Guice and igvm's domain can be loaded. */
    public static PluginJar probingItsClassLoader() {
        return new PluginJar()
                .source(
                        "org.example.probe.ProbePlugin",
                        """
                        package org.example.probe;

                        import java.util.List;
                        import java.util.Set;
                        import org.igvm.domain.spi.plugin.IgvmPlugin;
                        import org.igvm.domain.spi.transport.*;

                        public final class ProbePlugin implements IgvmPlugin {
                            @Override
                            public Iterable<DiskTransportFactory> diskTransports() {
                                return List.of(new DiskTransportFactory() {
                                    @Override
                                    public String name() {
                                        return "probe guice=" + loadable("com.google.inject.Injector")
                                                + " domain=" + loadable("org.igvm.domain.command.CommandEnvironment")
                                                + " spi=" + loadable("org.igvm.domain.spi.shell.HostShell");
                                    }

                                    @Override
                                    public Set<MigrationMode> modes() {
                                        return Set.of(MigrationMode.ONLINE);
                                    }

                                    @Override
                                    public Set<StorageKind> storage() {
                                        return Set.of(StorageKind.LVM);
                                    }

                                    @Override
                                    public TransportSession create(TransportContext context) {
                                        throw new UnsupportedOperationException();
                                    }
                                });
                            }

                            private static boolean loadable(String name) {
                                try {
                                    Class.forName(name, false, ProbePlugin.class.getClassLoader());
                                    return true;
                                } catch (ClassNotFoundException e) {
                                    return false;
                                }
                            }
                        }
                        """)
                .provider("org.example.probe.ProbePlugin");
    }
}
