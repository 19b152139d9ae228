package org.igvm.transport.drbd;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One resource's state as {@code drbdsetup events2 --now --statistics RES} prints it: one line per
 * object ({@code exists resource|connection|device|peer-device ...}) of {@code key:value} words,
 * then {@code exists -}. drbd-utils 9.22 over the 8.4.11 module (the lab's hosts) prints 9.x's
 * keys ({@code connection:Connected}, {@code peer-device replication:SyncSource}, no {@code done:};
 * real output in the tests' {@code events2/}); should a userland fold the sync state into the
 * connection instead ({@code connection:SyncSource}), {@link #replication()} reads it from there.
 *
 * @param role this side's role ({@code Primary}, {@code Secondary}), or empty
 * @param connection the connection state, e.g. {@code Connected}, {@code Connecting}, or empty
 * @param replication the replication state, e.g. {@code SyncSource}, {@code Established}, or empty
 * @param disk this side's disk state, e.g. {@code UpToDate}, {@code Inconsistent}, or empty
 * @param peerDisk the peer's disk state as this side knows it, or empty
 * @param outOfSyncKiB what is still to sync, in KiB, when printed
 * @param donePercent how much of the sync is done, when printed (only while syncing)
 */
record DrbdState(
        String role,
        String connection,
        String replication,
        String disk,
        String peerDisk,
        OptionalLong outOfSyncKiB,
        OptionalDouble donePercent) {

    /** Connection states in which the peers talk to each other. */
    private static final Set<String> LINKED = Set.of(
            "connected",
            "established",
            "syncsource",
            "synctarget",
            "wfbitmaps",
            "wfbitmapt",
            "wfsyncuuid",
            "startingsyncs",
            "startingsynct",
            "pausedsyncs",
            "pausedsynct",
            "verifys",
            "verifyt",
            "ahead",
            "behind");

    /** Parses the output; a resource drbdsetup does not know parses to all-empty. */
    static DrbdState parse(String output) {
        Map<String, String> resource = new HashMap<>();
        Map<String, String> connection = new HashMap<>();
        Map<String, String> device = new HashMap<>();
        Map<String, String> peer = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2) {
                continue;
            }
            Map<String, String> into =
                    switch (words[1]) {
                        case "resource" -> resource;
                        case "connection" -> connection;
                        case "device" -> device;
                        case "peer-device" -> peer;
                        default -> null;
                    };
            if (into == null) {
                continue;
            }
            for (int i = 2; i < words.length; i++) {
                int colon = words[i].indexOf(':');
                if (colon > 0) {
                    into.put(words[i].substring(0, colon), words[i].substring(colon + 1));
                }
            }
        }
        String conn = connection.getOrDefault("connection", "");
        String replication = peer.getOrDefault("replication", "");
        if (replication.isEmpty() && LINKED.contains(conn.toLowerCase(Locale.ROOT))) {
            replication = conn.equalsIgnoreCase("Connected") ? "Established" : conn;
        }
        return new DrbdState(
                resource.getOrDefault("role", connection.getOrDefault("role", "")),
                conn,
                replication,
                device.getOrDefault("disk", ""),
                peer.getOrDefault("peer-disk", connection.getOrDefault("peer-disk", "")),
                number(peer.get("out-of-sync")),
                decimal(peer.get("done")));
    }

    /** Whether the resource is configured on this side at all. */
    boolean exists() {
        return !role.isEmpty() || !disk.isEmpty();
    }

    /** Whether the two sides are connected (syncing or established). */
    boolean linked() {
        return LINKED.contains(connection.toLowerCase(Locale.ROOT));
    }

    /** Whether both disks are up to date and nothing is left to sync. */
    boolean inSync() {
        return linked() && disk.equals("UpToDate") && peerDisk.equals("UpToDate") && outOfSyncKiB.orElse(0) == 0;
    }

    /** The state in a few words, for messages. */
    String summary() {
        return "role:" + orNone(role) + " connection:" + orNone(connection) + " replication:" + orNone(replication)
                + " disk:" + orNone(disk) + " peer-disk:" + orNone(peerDisk)
                + (outOfSyncKiB.isPresent() ? " out-of-sync:" + outOfSyncKiB.getAsLong() + "KiB" : "");
    }

    private static String orNone(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static OptionalLong number(String s) {
        if (s == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalDouble decimal(String s) {
        if (s == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
