package org.igvm.adapters.libvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The example fleet as libvirt test-driver node files ({@code examples/testdriver/}). Every new
 * connection reads its node file afresh, so each {@link LibvirtHypervisor} starts from it.
 */
final class TestDriverFleet {
    static final String HV01 = "hv01.example.net";
    static final String HV02 = "hv02.example.net";
    /** libvirt's built-in default node, the only one with NUMA cells in its capabilities. */
    static final String DEFAULT_NODE = "default.example.net";

    static final String DOWN = "hv-down.example.net";
    static final String DOWN_URI = "qemu+tcp://127.0.0.1:1/system";

    private TestDriverFleet() {}

    static LibvirtConfig config() {
        return new LibvirtConfig(
                LibvirtConfig.DEFAULT_URI_TEMPLATE,
                "",
                Map.of(HV01, uri("hv01.xml"), HV02, uri("hv02.xml"), DEFAULT_NODE, "test:///default", DOWN, DOWN_URI));
    }

    private static String uri(String nodeFile) {
        // Tests run in the module directory; the node files live at the repository root.
        Path file = Path.of("..", "examples", "testdriver", nodeFile)
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("test driver node file missing: " + file);
        }
        return "test://" + file;
    }
}
