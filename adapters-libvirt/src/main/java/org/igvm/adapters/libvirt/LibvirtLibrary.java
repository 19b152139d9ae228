package org.igvm.adapters.libvirt;

import java.util.List;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.ShellCommand;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's C library, which libvirt-java reaches through JNA: loaded at the first connection, not
 * when igvm starts (a command that asks no hypervisor needs none), and its absence is one line
 * that says what to install instead of a linker error.
 */
final class LibvirtLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtLibrary.class);

    /**
     * libvirt prints every error to stderr unless a handler is set; igvm reports them itself, so they
     * go to the debug log. Held in a field so JNA's native callback is never garbage collected.
     */
    private static final Libvirt.VirErrorCallback ERRORS_TO_DEBUG_LOG =
            (userData, error) -> LOG.debug("libvirt: {}", error.message);

    private static volatile boolean loaded;

    private LibvirtLibrary() {}

    /** Loads the library once and routes its error output to the debug log. */
    static void require() {
        if (loaded) {
            return;
        }
        synchronized (LibvirtLibrary.class) {
            if (!loaded) {
                load(() -> {
                    try {
                        Connect.setErrorCallback(ERRORS_TO_DEBUG_LOG);
                    } catch (LibvirtException e) {
                        LOG.debug("cannot redirect libvirt's error output: {}", e.getMessage());
                    }
                });
                loaded = true;
            }
        }
    }

    /** Runs what loads the library; a library that cannot be linked is an operator's one line. */
    static void load(Runnable loader) {
        try {
            loader.run();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            // JNA's message lists every path it tried, over several lines: the first ("Unable to load
            // library 'virt':") and the reason after it say why.
            List<String> lines = String.valueOf(e.getMessage())
                    .strip()
                    .lines()
                    .map(String::strip)
                    .toList();
            String why =
                    lines.get(0).endsWith(":") && lines.size() > 1 ? lines.get(0) + " " + lines.get(1) : lines.get(0);
            throw new OperationFailedException("cannot load libvirt's client library (" + why + "); install it with: "
                    + ShellCommand.of("apt-get", "install", "libvirt0").text());
        }
    }
}
