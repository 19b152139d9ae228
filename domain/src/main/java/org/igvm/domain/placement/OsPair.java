package org.igvm.domain.placement;

/** A source and target hypervisor OS between which a VM may migrate online. */
public record OsPair(String source, String target) {
    /** Parses {@code bookworm->trixie}. */
    public static OsPair parse(String text) {
        int arrow = text.indexOf("->");
        if (arrow <= 0 || arrow + 2 >= text.length()) {
            throw new IllegalArgumentException(
                    "an OS pair is written SOURCE->TARGET, e.g. bookworm->trixie, not '" + text + "'");
        }
        return new OsPair(
                text.substring(0, arrow).trim(), text.substring(arrow + 2).trim());
    }

    @Override
    public String toString() {
        return source + "->" + target;
    }
}
