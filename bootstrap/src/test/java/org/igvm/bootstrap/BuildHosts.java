package org.igvm.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.UnreachableException;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * The hosts a build talks to, which cannot run here: the hypervisors' shells (mkfs, mounts in
 * temporary directories, curl from an image server, md5sum, flock, tar, ssh-keygen, Puppet in a
 * chroot with its bind mounts), the Puppet CA ({@code puppetserver ca clean}) and the new guests
 * (SSH with pinned host keys, the postboot script). It keeps what a real host would keep — files
 * (those below a mounted volume's mount point live on the volume), mounts, temporary directories,
 * held flocks, certificates — so a test can see every leftover, and records every command.
 * A thread that is interrupted is refused before a command runs, as the real shells do.
 */
final class BuildHosts implements HostShellPort {
    static final String CA = "puppet.example.net";
    static final String HV_RESOLV_CONF = "nameserver 10.0.0.53\nsearch example.net\n";

    /** What the guest at an address is: its hypervisor and object id. */
    record Guest(String hypervisor, long objectId) {}

    /** One Puppet run in a chroot: its root, its command line, and what the chroot held meanwhile. */
    record PuppetRun(String root, String command, boolean policyBlocksServices, boolean bindsMounted) {}

    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Host path → content; below a mount point the path is {@code volume:<volume path>/<path in VM>}. */
    final Map<String, byte[]> files = new ConcurrentHashMap<>();

    final Map<String, Integer> modes = new ConcurrentHashMap<>();
    /** Mount point → volume path. */
    final Map<String, String> mounts = new ConcurrentHashMap<>();

    final Set<String> binds = ConcurrentHashMap.newKeySet();
    final Set<String> tempDirs = ConcurrentHashMap.newKeySet();
    final Set<String> heldLocks = ConcurrentHashMap.newKeySet();
    /** How often a flock holder found the lock taken and waited. */
    final java.util.concurrent.atomic.AtomicInteger lockWaits = new java.util.concurrent.atomic.AtomicInteger();
    /** How long a download takes (to let concurrent builds meet at the cache's lock). */
    volatile Duration downloadTime = Duration.ZERO;

    private final Object lockMonitor = new Object();
    final Set<String> certificates = ConcurrentHashMap.newKeySet();
    final List<String> downloads = new CopyOnWriteArrayList<>();
    final List<PuppetRun> puppetRuns = new CopyOnWriteArrayList<>();
    final List<String> postbootRuns = new CopyOnWriteArrayList<>();
    /** URL → content served by the image server (the .md5 files included). */
    final Map<String, byte[]> imageServer = new ConcurrentHashMap<>();
    /** Exit statuses of the next Puppet runs; 2 (changes applied) once they are used up. */
    final Deque<Integer> puppetExits = new ArrayDeque<>();

    volatile int crlRacesLeft;
    /** Certificates the CA fails to clean (it is down for them). */
    final Set<String> caFailsFor = ConcurrentHashMap.newKeySet();

    volatile boolean guestAnswers = true;
    volatile int postbootExit;
    /** Guests answer SSH with these keys instead of their own (a forged host). */
    volatile List<String> guestKeysOverride;

    private final Function<String, Guest> guests;
    private final HypervisorPort hypervisors;
    private final String pool;
    private int nextTemp;

    BuildHosts(Function<String, Guest> guests, HypervisorPort hypervisors, String pool) {
        this.guests = guests;
        this.hypervisors = hypervisors;
        this.pool = pool;
        files.put("/etc/resolv.conf", HV_RESOLV_CONF.getBytes(StandardCharsets.UTF_8));
    }

    /** Serves an image and its md5 file at {@code url}. */
    void serve(String url, byte[] image) {
        imageServer.put(url, image);
        imageServer.put(
                url + ".md5",
                (md5(image) + "  " + url.substring(url.lastIndexOf('/') + 1) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file in a volume, by the VM's path (after it was unmounted, too). */
    String volumeFile(String volumePath, String vmPath) {
        byte[] content = files.get("volume:" + volumePath + vmPath);
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    Integer volumeFileMode(String volumePath, String vmPath) {
        return modes.get("volume:" + volumePath + vmPath);
    }

    /** The public keys in a volume's /etc/ssh. */
    List<String> volumeHostKeys(String volumePath) {
        List<String> keys = new ArrayList<>();
        for (String type : List.of("rsa", "ecdsa", "ed25519")) {
            String key = volumeFile(volumePath, "/etc/ssh/ssh_host_" + type + "_key.pub");
            if (key != null) {
                keys.add(key.strip());
            }
        }
        return keys;
    }

    @Override
    public HostShell open(String host) {
        return shell(host, null);
    }

    @Override
    public HostShell open(String host, List<String> expectedHostKeys) {
        return shell(host, List.copyOf(expectedHostKeys));
    }

    private HostShell shell(String host, List<String> pinned) {
        refuseIfInterrupted("open a shell on " + host);
        Guest guest = guests.apply(host);
        if (guest != null) {
            openGuest(host, guest, pinned);
        }
        return new HostShell() {
            private volatile boolean closed;

            @Override
            public String host() {
                return host;
            }

            @Override
            public CommandResult run(ShellCommand command) {
                return run(command, Duration.ofSeconds(10));
            }

            @Override
            public CommandResult run(ShellCommand command, Duration timeout) {
                String text = command.text();
                open();
                refuseIfInterrupted(text);
                commands.add(host + ": " + text);
                Answer a = guest != null ? guest(guest, text) : host.equals(CA) ? ca(text) : hypervisor(host, text);
                return new CommandResult(host, text, a.exit, a.out, a.err);
            }

            @Override
            public void put(byte[] content, String path, int mode) {
                open();
                refuseIfInterrupted("put " + path);
                commands.add(host + ": put " + path);
                String where = guest != null ? guestPath(guest, path) : resolve(path);
                files.put(where, content.clone());
                modes.put(where, mode);
            }

            @Override
            public byte[] get(String path) {
                open();
                refuseIfInterrupted("get " + path);
                commands.add(host + ": get " + path);
                byte[] content = files.get(guest != null ? guestPath(guest, path) : resolve(path));
                if (content == null) {
                    throw new OperationFailedException("no file " + path + " on " + host);
                }
                return content.clone();
            }

            @Override
            public RunningCommand start(ShellCommand command, OutputSink stdout, OutputSink stderr) {
                open();
                String text = command.text();
                refuseIfInterrupted(text);
                commands.add(host + ": start " + text);
                if (text.startsWith("exec flock ")) {
                    return lockHolder(host, command, stdout);
                }
                if (text.startsWith("curl -fSL -o ")) {
                    return download(host, command, stderr);
                }
                throw new UnsupportedOperationException("the fake cannot start " + text);
            }

            private void open() {
                if (closed) {
                    throw new IllegalStateException("the shell on " + host + " is closed");
                }
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    private void openGuest(String host, Guest guest, List<String> pinned) {
        boolean running = hypervisors
                .findDomain(guest.hypervisor(), guest.objectId())
                .map(d -> d.isRunning())
                .orElse(false);
        if (!guestAnswers || !running) {
            throw new UnreachableException("cannot reach " + host + " over SSH: connection refused on port 22");
        }
        List<String> offered = guestKeysOverride != null ? guestKeysOverride : volumeHostKeys(volumePath(guest));
        if (pinned != null && offered.stream().noneMatch(pinned::contains)) {
            throw new UnreachableException("cannot reach " + host + " over SSH: the host key of " + host
                    + " is not one of the " + pinned.size() + " keys igvm expects there");
        }
    }

    private String volumePath(Guest guest) {
        return hypervisors
                .findVolume(guest.hypervisor(), pool, guest.objectId())
                .orElseThrow(() -> new OperationFailedException("the guest has no volume"))
                .path();
    }

    private String guestPath(Guest guest, String path) {
        return "volume:" + volumePath(guest) + path;
    }

    private record Answer(int exit, String out, String err) {
        static Answer ok(String out) {
            return new Answer(0, out, "");
        }

        static Answer fail(int exit, String err) {
            return new Answer(exit, "", err);
        }
    }

    /** Where a host path is: on a mounted volume, or on the host. */
    private String resolve(String path) {
        for (Map.Entry<String, String> m : mounts.entrySet()) {
            if (path.startsWith(m.getKey() + "/")) {
                return "volume:" + m.getValue() + path.substring(m.getKey().length());
            }
        }
        return path;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.split(" ")) {
            words.add(w.length() >= 2 && w.startsWith("'") && w.endsWith("'") ? w.substring(1, w.length() - 1) : w);
        }
        return words;
    }

    private static String after(List<String> words, String flag) {
        return words.get(words.indexOf(flag) + 1);
    }

    private synchronized Answer hypervisor(String host, String text) {
        List<String> w = words(text);
        if (text.startsWith("test -e ")) {
            return exists(host, w.get(2)) ? Answer.ok("") : new Answer(1, "", "");
        }
        if (text.startsWith("mv -n -T ")) {
            return moveVolume(host, w.get(3), w.get(4));
        }
        if (text.startsWith("lvrename ")) {
            return renameLogicalVolume(host, w.get(1), w.get(2), w.get(3));
        }
        if (text.startsWith("mktemp -d /tmp/igvm-mount.")) {
            String dir = "/tmp/igvm-mount." + (++nextTemp);
            tempDirs.add(dir);
            return Answer.ok(dir + "\n");
        }
        if (text.startsWith("if [ -b ")) {
            // if [ -b P ]; then mount P MP; else mount -o loop P MP; fi
            String volume = w.get(3);
            String mountPoint = w.get(w.size() - 2).replace(";", "");
            if (!tempDirs.contains(mountPoint)) {
                return Answer.fail(32, "mount: " + mountPoint + ": mount point does not exist");
            }
            mounts.put(mountPoint, volume);
            return Answer.ok("");
        }
        if (text.startsWith("if mountpoint -q ") && text.contains("; rmdir ")) {
            String mountPoint = w.get(3).replace(";", "");
            mounts.remove(mountPoint);
            tempDirs.remove(mountPoint);
            return Answer.ok("");
        }
        if (text.startsWith("umount ") && text.contains(" && rmdir ")) {
            String mountPoint = w.get(1);
            if (binds.stream().anyMatch(b -> b.startsWith(mountPoint + "/"))) {
                return Answer.fail(32, "umount: " + mountPoint + ": target is busy");
            }
            if (mounts.remove(mountPoint) == null) {
                return Answer.fail(32, "umount: " + mountPoint + ": not mounted");
            }
            tempDirs.remove(mountPoint);
            return Answer.ok("");
        }
        if (text.startsWith("mkdir -p ") && text.contains("; then mount --bind ")) {
            String target = w.get(2);
            if (mounts.keySet().stream().noneMatch(m -> target.startsWith(m + "/"))) {
                return Answer.fail(32, "mount: " + target + ": not below a mounted root");
            }
            binds.add(target);
            return Answer.ok("");
        }
        if (text.startsWith("if mountpoint -q ")) {
            binds.remove(w.get(3).replace(";", ""));
            return Answer.ok("");
        }
        if (text.startsWith("mkdir -p ") && text.contains(" && rm -f ")) {
            String prefix = resolve(w.get(2)) + "/ssh_host_";
            files.keySet().removeIf(k -> k.startsWith(prefix));
            return Answer.ok("");
        }
        if (text.startsWith("mkdir -p ") || text.startsWith("mkfs.xfs ")) {
            return Answer.ok("");
        }
        if (text.startsWith("ssh-keygen ")) {
            String type = after(w, "-t");
            String file = resolve(after(w, "-f"));
            String comment = after(w, "-C");
            String line = publicKey(type) + " " + comment + "\n";
            files.put(file, ("PRIVATE " + type + "\n").getBytes(StandardCharsets.UTF_8));
            files.put(file + ".pub", line.getBytes(StandardCharsets.UTF_8));
            return Answer.ok("");
        }
        if (text.startsWith("curl -fsSL ")) {
            byte[] body = imageServer.get(w.get(2));
            return body == null
                    ? Answer.fail(22, "curl: (22) The requested URL returned error: 404")
                    : Answer.ok(new String(body, StandardCharsets.UTF_8));
        }
        if (text.startsWith("md5sum ")) {
            byte[] content = files.get(resolve(w.get(1)));
            return content == null
                    ? Answer.fail(1, "md5sum: " + w.get(1) + ": No such file or directory")
                    : Answer.ok(md5(content) + "  " + w.get(1) + "\n");
        }
        if (text.startsWith("mv -f ")) {
            byte[] content = files.remove(resolve(w.get(2)));
            if (content == null) {
                return Answer.fail(1, "mv: cannot stat " + w.get(2));
            }
            files.put(resolve(w.get(3)), content);
            return Answer.ok("");
        }
        if (text.startsWith("rm -f ")) {
            String path = resolve(w.get(2));
            files.remove(path);
            modes.remove(path);
            return Answer.ok("");
        }
        if (text.startsWith("tar --xattrs ")) {
            if (!text.contains("'--xattrs-include=*'") || !text.contains("--numeric-owner -xzpf ")) {
                return Answer.fail(2, "tar: unexpected options");
            }
            byte[] image = files.get(resolve(after(w, "-xzpf")));
            String root = after(w, "-C");
            if (image == null || !mounts.containsKey(root)) {
                return Answer.fail(2, "tar: cannot extract");
            }
            put(root + "/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
            put(root + "/etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC0 image-key\n");
            put(root + "/usr/sbin/.keep", "");
            return Answer.ok("");
        }
        if (text.startsWith("chroot ")) {
            return puppet(text, w);
        }
        return Answer.fail(127, "the fake hypervisor does not know: " + text);
    }

    /** A file on the host or on a mounted volume, or a volume of the pool (a file in its directory). */
    private boolean exists(String host, String path) {
        String where = resolve(path);
        return files.containsKey(where)
                || files.keySet().stream().anyMatch(k -> k.startsWith(where + "/"))
                || poolVolume(host, path).isPresent();
    }

    /** The pool's volume at {@code path}: its name begins with the object id. */
    private Optional<org.igvm.domain.spi.hypervisor.VolumeInfo> poolVolume(String host, String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int underscore = name.indexOf('_');
        if (underscore <= 0 || !name.substring(0, underscore).matches("\\d+")) {
            return Optional.empty();
        }
        return hypervisors
                .findVolume(host, pool, Long.parseLong(name.substring(0, underscore)))
                .filter(v -> v.path().equals(path));
    }

    /**
     * {@code mv -n -T FROM TO} of a volume's file in the pool's directory, as a rename: the test
     * driver's directory pool has no files and its refresh reads none, so the fake renames the
     * volume in the driver at once (a new one of the same size, the old one deleted) and moves what
     * igvm wrote into it along. {@code -n}: an existing TO is left alone.
     */
    private Answer moveVolume(String host, String from, String to) {
        Optional<org.igvm.domain.spi.hypervisor.VolumeInfo> volume = poolVolume(host, from);
        if (volume.isEmpty()) {
            return Answer.fail(1, "mv: cannot stat '" + from + "': No such file or directory");
        }
        if (exists(host, to)) {
            return Answer.ok("");
        }
        String newName = to.substring(to.lastIndexOf('/') + 1);
        var renamed = hypervisors.createVolume(host, pool, newName, volume.get().capacityBytes());
        hypervisors.deleteVolume(host, pool, volume.get().name());
        for (String key : List.copyOf(files.keySet())) {
            if (key.startsWith("volume:" + from + "/")) {
                String moved = "volume:" + renamed.path() + key.substring(("volume:" + from).length());
                files.put(moved, files.remove(key));
                Integer mode = modes.remove(key);
                if (mode != null) {
                    modes.put(moved, mode);
                }
            }
        }
        return Answer.ok("");
    }

    /**
     * {@code lvrename VG FROM TO}, for a test whose pool claims to be LVM: the pool's volumes are
     * its logical volumes, and the volume group is the last part of the pool's directory.
     */
    private Answer renameLogicalVolume(String host, String group, String from, String to) {
        String fromPath = poolPath(host, from);
        if (fromPath == null
                || !fromPath.substring(0, fromPath.lastIndexOf('/')).endsWith("/" + group)) {
            return Answer.fail(5, "  Failed to find logical volume \"" + group + "/" + from + "\"");
        }
        String toPath = fromPath.substring(0, fromPath.lastIndexOf('/') + 1) + to;
        if (exists(host, toPath)) {
            return Answer.fail(5, "  Logical Volume \"" + to + "\" already exists in volume group \"" + group + "\"");
        }
        return moveVolume(host, fromPath, toPath);
    }

    /** The path of the pool's volume named {@code name}; null when there is none. */
    private String poolPath(String host, String name) {
        int underscore = name.indexOf('_');
        if (underscore <= 0 || !name.substring(0, underscore).matches("\\d+")) {
            return null;
        }
        return hypervisors
                .findVolume(host, pool, Long.parseLong(name.substring(0, underscore)))
                .filter(v -> v.name().equals(name))
                .map(v -> v.path())
                .orElse(null);
    }

    private void put(String hostPath, String content) {
        files.put(resolve(hostPath), content.getBytes(StandardCharsets.UTF_8));
    }

    private Answer puppet(String text, List<String> w) {
        String root = w.get(1);
        String inner = text.substring(text.indexOf(" -c ") + 4);
        inner = inner.substring(1, inner.length() - 1);
        List<String> args = List.of(inner.split(" "));
        boolean policy = files.containsKey(resolve(root + "/usr/sbin/policy-rc.d"))
                && modes.getOrDefault(resolve(root + "/usr/sbin/policy-rc.d"), 0) == 0755
                && new String(files.get(resolve(root + "/usr/sbin/policy-rc.d")), StandardCharsets.UTF_8)
                        .contains("exit 101");
        boolean bound = binds.containsAll(List.of(root + "/proc", root + "/sys", root + "/dev"));
        puppetRuns.add(new PuppetRun(root, inner, policy, bound));
        certificates.add(args.get(args.indexOf("--certname") + 1));
        Integer exit = puppetExits.poll();
        int status = exit == null ? 2 : exit;
        return status == 0 || status == 2
                ? new Answer(status, "Notice: Applied catalog in 1.23 seconds\n", "")
                : Answer.fail(status, "Error: Could not retrieve catalog from remote server");
    }

    private synchronized Answer ca(String text) {
        List<String> w = words(text);
        if (!text.startsWith("puppetserver ca clean --certname ")) {
            return Answer.fail(127, "the fake CA does not know: " + text);
        }
        if (crlRacesLeft > 0) {
            crlRacesLeft--;
            return Answer.fail(1, "Error: could not update the CRL: the crl.pem lock is held by another process");
        }
        String certname = w.get(4);
        if (caFailsFor.contains(certname)) {
            return Answer.fail(1, "Error: Failed to connect to the Puppet server: connection refused");
        }
        if (!certificates.remove(certname)) {
            return new Answer(1, "", "Could not find files to clean for " + certname + "\n");
        }
        return Answer.ok("Revoked certificate with serial 7\nDeleted certificate for " + certname + "\n");
    }

    private Answer guest(Guest guest, String text) {
        if (text.equals("/buildvm-postboot")) {
            String path = guestPath(guest, "/buildvm-postboot");
            if (!files.containsKey(path) || modes.getOrDefault(path, 0) != 0755) {
                return Answer.fail(126, "sh: /buildvm-postboot: Permission denied or missing");
            }
            postbootRuns.add(new String(files.get(path), StandardCharsets.UTF_8));
            return postbootExit == 0 ? Answer.ok("postboot done\n") : Answer.fail(postbootExit, "postboot failed");
        }
        if (text.equals("rm -f /buildvm-postboot")) {
            files.remove(guestPath(guest, "/buildvm-postboot"));
            return Answer.ok("");
        }
        return Answer.fail(127, "the fake guest does not know: " + text);
    }

    private static String publicKey(String type) {
        String name =
                switch (type) {
                    case "rsa" -> "ssh-rsa";
                    case "ecdsa" -> "ecdsa-sha2-nistp256";
                    case "ed25519" -> "ssh-ed25519";
                    default -> throw new IllegalArgumentException(type);
                };
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        blob.write(0);
        blob.write(0);
        blob.write(0);
        blob.write(nameBytes.length);
        blob.writeBytes(nameBytes);
        byte[] key = new byte[48];
        ThreadLocalRandom.current().nextBytes(key);
        blob.writeBytes(key);
        return name + " " + Base64.getEncoder().encodeToString(blob.toByteArray());
    }

    /**
     * {@code exec flock -w N LOCK -c '...'}: waits while another holder has the lock (as flock
     * does), then says so on stdout and holds it until its stdin ends or it is killed.
     */
    private RunningCommand lockHolder(String host, ShellCommand command, OutputSink stdout) {
        String lock = words(command.text()).get(4);
        java.util.concurrent.atomic.AtomicBoolean acquired = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        FakeRunning running = new FakeRunning(
                host,
                command,
                () -> {
                    synchronized (lockMonitor) {
                        ended.set(true);
                        if (acquired.get()) {
                            heldLocks.remove(lock);
                            lockMonitor.notifyAll();
                        }
                    }
                },
                -1);
        Thread waiter = new Thread(
                () -> {
                    synchronized (lockMonitor) {
                        while (heldLocks.contains(lock) && !ended.get()) {
                            lockWaits.incrementAndGet();
                            try {
                                lockMonitor.wait(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        if (ended.get()) {
                            return;
                        }
                        heldLocks.add(lock);
                        acquired.set(true);
                    }
                    if (stdout instanceof OutputSink.Lines lines) {
                        lines.each().accept("igvm-image-locked");
                    }
                },
                "fake-flock");
        waiter.setDaemon(true);
        waiter.start();
        return running;
    }

    /** {@code curl -fSL -o PART URL}: the meter on stderr, the body into PART. */
    private RunningCommand download(String host, ShellCommand command, OutputSink stderr) {
        List<String> w = words(command.text());
        String part = w.get(3);
        String url = w.get(4);
        downloads.add(url);
        byte[] body = imageServer.get(url);
        try {
            Thread.sleep(downloadTime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("cancelled " + command + " on " + host);
        }
        OutputSink.Lines lines = stderr instanceof OutputSink.Lines l ? l : new OutputSink.Lines(s -> {});
        lines.each().accept("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current");
        if (body == null) {
            lines.each().accept("curl: (22) The requested URL returned error: 404");
            return new FakeRunning(host, command, () -> {}, 22);
        }
        long half = body.length / 2;
        lines.each()
                .accept(" 50  " + body.length + "   50  " + half
                        + "    0     0   1024      0 --:--:-- --:--:-- --:--:--  1024");
        lines.each()
                .accept("100  " + body.length + "  100  " + body.length
                        + "    0     0   2048      0 --:--:-- --:--:-- --:--:--  2048");
        files.put(resolve(part), body.clone());
        return new FakeRunning(host, command, () -> {}, 0);
    }

    /** A started command: ended at once with {@code exit}, or (exit -1) running until its stdin closes. */
    private final class FakeRunning implements RunningCommand {
        private final String host;
        private final ShellCommand command;
        private final Runnable onEnd;
        private volatile int exit;

        FakeRunning(String host, ShellCommand command, Runnable onEnd, int exit) {
            this.host = host;
            this.command = command;
            this.onEnd = onEnd;
            this.exit = exit;
        }

        private synchronized void end(int status) {
            if (exit < 0) {
                exit = status;
                onEnd.run();
            }
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public ShellCommand command() {
            return command;
        }

        @Override
        public OutputStream stdin() {
            return new OutputStream() {
                @Override
                public void write(int b) {}

                @Override
                public void close() {
                    end(0);
                }
            };
        }

        @Override
        public InputStream stdout() {
            throw new IllegalStateException("not a stream");
        }

        @Override
        public InputStream stderr() {
            throw new IllegalStateException("not a stream");
        }

        @Override
        public boolean isRunning() {
            return exit < 0;
        }

        @Override
        public OptionalInt exitStatus() {
            return exit < 0 ? OptionalInt.empty() : OptionalInt.of(exit);
        }

        @Override
        public Optional<CommandResult> waitFor(Duration timeout) {
            if (Thread.currentThread().isInterrupted()) {
                kill();
                throw new CancelledException("cancelled " + command + " on " + host);
            }
            return exit < 0 ? Optional.empty() : Optional.of(new CommandResult(host, command.text(), exit, "", ""));
        }

        @Override
        public void kill() {
            end(137);
        }

        @Override
        public void close() {
            kill();
        }
    }

    private static void refuseIfInterrupted(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancelledException("cancelled before " + what);
        }
    }
}
