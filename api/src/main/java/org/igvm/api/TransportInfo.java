package org.igvm.api;

import java.util.List;

/**
 * A disk transport igvm can migrate with, as {@code igvm transports} lists it.
 *
 * @param name what {@code --disk-transport} takes
 * @param modes {@code online} and/or {@code offline}
 * @param storage the kinds of volume it moves: {@code file} and/or {@code lvm}
 * @param version its version, or {@code unknown}
 * @param origin {@code built-in (classpath)}, or the plugin jar it came from
 */
public record TransportInfo(String name, List<String> modes, List<String> storage, String version, String origin) {
    public TransportInfo {
        modes = List.copyOf(modes);
        storage = List.copyOf(storage);
    }
}
