package org.igvm.transport.drbd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * A hypervisor with LVM, device-mapper and DRBD as a small model, for fast tests of the drbd
 * transport's sequence: it answers the commands the session sends and keeps the state they change
 * (logical volumes, device-mapper tables, files, DRBD resources), with the real constraints that
 * make the order matter: a resource is brought up only from its file, a table is swapped onto a
 * DRBD device only while it is primary, DRBD cannot go down while a table still points at it, and
 * its disk and metadata cannot be removed while it is up. It never replaces the run on real DRBD
 * (e2e {@code TestLabDrbdTransport}).
 */
final class ScriptedLvmHost implements HostShell {
    record Lv(String vg, String name, long size, int minor) {
        String path() {
            return "/dev/" + vg + "/" + name;
        }
    }

    /** Counts the commands of all hosts of one test, so a fault can be put at the n-th of them. */
    static final class Faults {
        int commands;
        int failAt = -1;
        /** Runs before the n-th command (e.g. a cancellation); -1: never. */
        int hookAt = -1;

        Runnable hook = () -> {};
        final List<String> log = new ArrayList<>();
        /** Every command on this host that starts so fails, e.g. a host that lost its LVM ("hv1.test: if lvs"). */
        String failing = "";
    }

    private final String host;
    private final String nodeName;
    private final Map<String, String> addresses;
    private final Faults faults;
    final Map<String, Lv> lvs = new TreeMap<>();
    final Map<String, String> tables = new TreeMap<>();
    final Map<String, String> files = new TreeMap<>();
    final Map<String, String> drbd = new TreeMap<>();
    final Map<String, Integer> blockSizes = new TreeMap<>();
    /** What {@code drbdsetup events2 --now --statistics RES} prints while the resource is up. */
    Function<String, String> events = res -> "";

    private int nextMinor = 10;

    ScriptedLvmHost(String host, String nodeName, Map<String, String> addresses, Faults faults) {
        this.host = host;
        this.nodeName = nodeName;
        this.addresses = addresses;
        this.faults = faults;
    }

    Lv addVolume(String vg, String name, long size, String table) {
        Lv lv = new Lv(vg, name, size, nextMinor++);
        lvs.put(lv.path(), lv);
        tables.put(lv.path(), table);
        blockSizes.put(lv.path(), 4096);
        return lv;
    }

    /** Everything but the VM's own volumes: what a clean host has none of. */
    List<String> leftovers(String... volumes) {
        List<String> left = new ArrayList<>();
        lvs.keySet().stream().filter(p -> !List.of(volumes).contains(p)).forEach(p -> left.add("lv " + p));
        tables.keySet().stream().filter(k -> !k.startsWith("/dev/")).forEach(k -> left.add("dm " + k));
        files.keySet().forEach(f -> left.add("file " + f));
        drbd.keySet().forEach(r -> left.add("drbd " + r));
        return left;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public CommandResult run(ShellCommand command) {
        return run(command, Duration.ofMinutes(1));
    }

    @Override
    public synchronized CommandResult run(ShellCommand command, Duration timeout) {
        String c = command.text();
        int n = ++faults.commands;
        faults.log.add(host + ": " + c);
        if (n == faults.hookAt) {
            faults.hook.run();
        }
        if (n == faults.failAt) {
            return fail(c, "injected fault at command " + n);
        }
        if (!faults.failing.isEmpty() && (host + ": " + c).startsWith(faults.failing)) {
            return fail(c, "injected lasting fault");
        }
        return answer(c);
    }

    private CommandResult answer(String c) {
        Matcher m;
        if ((m = match(
                        "lvs --noheadings .* -o vg_name,lv_name,lv_size,lv_kernel_minor (\\S+) \\|\\| exit 1; echo ---;.*",
                        c))
                != null) {
            Lv lv = lvs.get(m.group(1));
            if (lv == null) {
                return fail(c, "Failed to find logical volume \"" + m.group(1) + "\"");
            }
            return ok(
                    c,
                    "  " + lv.vg + "|" + lv.name + "|" + lv.size + "|" + lv.minor + "\n---\n" + nodeName + "\n---\n"
                            + blockSizes.getOrDefault(lv.path(), 4096) + "\n---\n" + tables.get(lv.path()) + "\n");
        }
        if (c.startsWith("lvs --noheadings")) {
            Lv lv = lvs.get(lastWord(c));
            return lv == null
                    ? fail(c, "Failed to find logical volume \"" + lastWord(c) + "\"")
                    : ok(c, "  " + lv.vg + "|" + lv.name + "|" + lv.size + "|" + lv.minor + "\n");
        }
        if ((m = match("dmsetup table (\\S+)", c)) != null) {
            String t = tables.get(m.group(1));
            return t == null ? fail(c, "No such device or address") : ok(c, t + "\n");
        }
        if (c.equals("uname -n")) {
            return ok(c, nodeName + "\n");
        }
        if ((m = match("blockdev --getbsz (\\S+)", c)) != null) {
            return ok(c, blockSizes.getOrDefault(m.group(1), 4096) + "\n");
        }
        if ((m = match("blockdev --setbsz (\\d+) (\\S+)", c)) != null) {
            blockSizes.put(m.group(2), Integer.parseInt(m.group(1)));
            return ok(c, "");
        }
        if ((m = match("getent ahostsv4 (\\S+)", c)) != null) {
            String ip = addresses.get(m.group(1));
            return ip == null ? new CommandResult(host, c, 2, "", "") : ok(c, ip + "  STREAM " + m.group(1) + "\n");
        }
        if (c.startsWith("test -r /proc/drbd")) {
            StringBuilder out = new StringBuilder();
            files.keySet().stream()
                    .filter(f -> f.endsWith(".res"))
                    .forEach(f -> out.append("the resource file ").append(f).append(" exists\n"));
            lvs.values().stream().filter(l -> l.name.endsWith("_meta")).forEach(l -> out.append("the logical volume ")
                    .append(l.vg + "/" + l.name)
                    .append(" exists\n"));
            return ok(c, out.toString());
        }
        if ((m = match("lvcreate -y -n (\\S+) -L (\\d+)b (\\S+)(?: && dd if=/dev/zero of=\\S+ .*)?", c)) != null) {
            Lv lv = new Lv(m.group(3), m.group(1), Long.parseLong(m.group(2)), nextMinor++);
            lvs.put(lv.path(), lv);
            tables.put(lv.path(), "0 " + lv.size / 512 + " linear 254:0 " + lv.minor * 1000);
            return ok(c, "  Logical volume \"" + lv.name + "\" created.\n");
        }
        if (c.startsWith("dd if=/dev/zero of=")) {
            return lvs.containsKey(c.split(" ")[2].substring(3)) ? ok(c, "") : fail(c, "No such file or directory");
        }
        if (c.startsWith("mkdir -p ")) {
            return ok(c, "");
        }
        if ((m = match("rm -f (\\S+)", c)) != null) {
            files.remove(m.group(1));
            return ok(c, "");
        }
        if ((m = match("printf '%s\\\\n' (.+) \\| dmsetup create (\\S+)", c)) != null) {
            if (tables.containsKey(m.group(2))) {
                return fail(c, "device-mapper: create ioctl failed: Device or resource busy");
            }
            tables.put(m.group(2), unquote(m.group(1)));
            return ok(c, "");
        }
        if ((m = match("drbdadm create-md (\\S+) </dev/null", c)) != null) {
            return files.containsKey("/etc/drbd.d/" + m.group(1) + ".res")
                    ? ok(c, "New drbd meta data block successfully created.\n")
                    : fail(c, "no resource defined");
        }
        if ((m = match("drbdadm up (\\S+)", c)) != null) {
            if (!files.containsKey("/etc/drbd.d/" + m.group(1) + ".res")) {
                return fail(c, "'" + m.group(1) + "' not defined in your config");
            }
            drbd.put(m.group(1), "Secondary");
            return ok(c, "");
        }
        if ((m = match("drbdadm (?:-- --overwrite-data-of-peer )?primary (\\S+)", c)) != null) {
            if (!drbd.containsKey(m.group(1))) {
                return fail(c, "Unknown resource");
            }
            drbd.put(m.group(1), "Primary");
            return ok(c, "");
        }
        if ((m = match("dmsetup suspend (\\S+) \\|\\| exit 1; if dmsetup load \\S+ --table (.+); then.*", c)) != null) {
            String table = unquote(m.group(2));
            boolean primary = drbd.values().stream().anyMatch("Primary"::equals);
            if (!primary) {
                return fail(c, "device-mapper: reload ioctl failed: Wrong medium type");
            }
            tables.put(m.group(1), table);
            return ok(c, "");
        }
        if ((m = match("cur=\\$\\(dmsetup table (\\S+)\\) \\|\\| exit 1; \\[ \"\\$cur\" = ('[^']*') \\].*", c))
                != null) {
            tables.put(m.group(1), unquote(m.group(2)));
            return ok(c, "");
        }
        if ((m = match("if \\[ -e (\\S+) \\]; then drbdadm down (\\S+); fi", c)) != null) {
            if (!files.containsKey(m.group(1))) {
                return ok(c, "");
            }
            if (tables.values().stream().anyMatch(t -> t.contains("/dev/drbd"))) {
                return fail(c, "State change failed: (-12) Device is held open by someone");
            }
            drbd.remove(m.group(2));
            return ok(c, "");
        }
        if ((m = match("if dmsetup info (\\S+) >/dev/null 2>&1; then dmsetup remove \\S+; fi", c)) != null) {
            if (tables.containsKey(m.group(1)) && !drbd.isEmpty()) {
                return fail(c, "device-mapper: remove ioctl failed: Device or resource busy");
            }
            tables.remove(m.group(1));
            return ok(c, "");
        }
        if ((m = match("if lvs (\\S+) >/dev/null 2>&1; then lvremove -fy \\S+; fi", c)) != null) {
            if (lvs.containsKey("/dev/" + m.group(1)) && !drbd.isEmpty()) {
                return fail(c, "Logical volume " + m.group(1) + " in use.");
            }
            lvs.remove("/dev/" + m.group(1));
            tables.remove("/dev/" + m.group(1));
            return ok(c, "");
        }
        if ((m = match("drbdsetup events2 --now --statistics (\\S+)", c)) != null) {
            return ok(c, drbd.containsKey(m.group(1)) ? events.apply(m.group(1)) : "");
        }
        return fail(c, "the scripted host does not know this command");
    }

    @Override
    public synchronized void put(byte[] content, String path, int mode) {
        faults.log.add(host + ": put " + path);
        if (++faults.commands == faults.failAt) {
            throw new org.igvm.api.OperationFailedException("injected fault writing " + path + " on " + host);
        }
        files.put(path, new String(content, StandardCharsets.UTF_8));
    }

    @Override
    public byte[] get(String path) {
        return files.get(path).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {}

    private CommandResult ok(String c, String out) {
        return new CommandResult(host, c, 0, out, "");
    }

    private CommandResult fail(String c, String err) {
        return new CommandResult(host, c, 1, "", err + "\n");
    }

    private static Matcher match(String regex, String text) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        return m.matches() ? m : null;
    }

    private static String lastWord(String c) {
        return c.substring(c.lastIndexOf(' ') + 1);
    }

    /** The inverse of {@link ShellCommand#quote} for one word. */
    static String unquote(String word) {
        if (word.startsWith("'") && word.endsWith("'")) {
            return word.substring(1, word.length() - 1).replace("'\\''", "'");
        }
        return word;
    }
}
