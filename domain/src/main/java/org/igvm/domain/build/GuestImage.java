package org.igvm.domain.build;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.igvm.api.CancelledException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest OS's base image ({@code <os>-base.tar.gz}) on a hypervisor: downloaded with curl into the
 * cache directory, checked against the {@code .md5} next to it on the image server (md5sum's
 * {@code HASH  NAME}), downloaded again when the cached copy does not match, and extracted with
 * its extended attributes into a root file system. A {@code flock} on a lock file next to the
 * cached image serialises concurrent builds on one hypervisor: the second waits and then finds
 * the image cached.
 */
public final class GuestImage {
    private static final Logger log = LoggerFactory.getLogger(GuestImage.class);
    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");
    /** curl's exit status for an HTTP error answer with {@code -f}. */
    static final int CURL_HTTP_ERROR = 22;

    static final String LOCKED = "igvm-image-locked";
    /** How long a build waits for another build's download of the same image. */
    static final Duration LOCK_WAIT = Duration.ofHours(1);

    private final HostShell hypervisor;
    private final String os;
    private final String url;
    private final String file;
    private final Duration downloadTimeout;

    public GuestImage(HostShell hypervisor, BuildSettings settings, String os) {
        this.hypervisor = hypervisor;
        this.os = os;
        this.url = settings.imageUrlFor(os);
        this.file = settings.imageCacheDir().replaceAll("/+$", "") + "/" + BuildSettings.imageName(os);
        this.downloadTimeout = settings.downloadTimeout();
    }

    public String url() {
        return url;
    }

    public String checksumUrl() {
        return url + ".md5";
    }

    /** Where the image is cached on the hypervisor. */
    public String cachedFile() {
        return file;
    }

    public String lockFile() {
        return file + ".lock";
    }

    /**
     * The verified image in the cache, downloaded when it is missing or does not match; returns
     * whether it was downloaded. Holds the cache's lock meanwhile.
     */
    public boolean fetch(ImageDownloadListener listener) {
        String dir = file.substring(0, file.lastIndexOf('/'));
        hypervisor.check(ShellCommand.of("mkdir", "-p", dir.isEmpty() ? "/" : dir));
        RunningCommand lock = lock();
        try {
            String expected = expectedChecksum();
            Optional<String> cached = checksum();
            if (cached.isPresent() && cached.get().equalsIgnoreCase(expected)) {
                listener.detail("using the cached " + file + " (md5 " + expected + ")");
                return false;
            }
            if (cached.isPresent()) {
                listener.detail("the cached " + file + " has md5 " + cached.get() + ", not " + expected
                        + ": downloading it again");
            }
            String actual = null;
            for (int attempt = 1; attempt <= 2; attempt++) {
                download(listener);
                actual = checksum().orElse("(no file)");
                if (actual.equalsIgnoreCase(expected)) {
                    return true;
                }
                if (attempt == 1) {
                    listener.detail("the download of " + url + " has md5 " + actual + ", not " + expected
                            + ": downloading it again");
                }
            }
            removeQuietly(file);
            throw new OperationFailedException("the image " + url + " does not match its checksum: "
                    + checksumUrl() + " says " + expected + ", the download has " + actual
                    + " (downloaded twice; nothing kept in the cache)");
        } finally {
            release(lock);
        }
    }

    /** Extracts the cached image into the root, keeping owners, modes and extended attributes. */
    public void extractInto(String root) {
        hypervisor.check(
                ShellCommand.of("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xzpf", file, "-C", root));
    }

    private String expectedChecksum() {
        CommandResult r =
                hypervisor.run(ShellCommand.of("curl", "-fsSL", checksumUrl()).idempotent());
        if (!r.succeeded()) {
            throw curlFailure(r, checksumUrl());
        }
        String first = r.stdout().strip().split("\\s+", 2)[0];
        if (!MD5.matcher(first).matches()) {
            throw new OperationFailedException(checksumUrl() + " holds no md5 sum (md5sum's 'HASH  NAME'): '"
                    + abbreviate(r.stdout().strip()) + "'");
        }
        return first.toLowerCase(java.util.Locale.ROOT);
    }

    private Optional<String> checksum() {
        CommandResult r = hypervisor.run(ShellCommand.of("md5sum", file).idempotent());
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String first = r.stdout().strip().split("\\s+", 2)[0];
        return MD5.matcher(first).matches() ? Optional.of(first.toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
    }

    private void download(ImageDownloadListener listener) {
        String part = file + ".part";
        ShellCommand curl = ShellCommand.of("curl", "-fSL", "-o", part, url);
        CommandResult r;
        try {
            r = runWithMeter(curl, listener);
            if (!r.succeeded()) {
                throw curlFailure(r, url);
            }
            hypervisor.check(ShellCommand.of("mv", "-f", part, file));
        } catch (RuntimeException e) {
            removeQuietly(part);
            throw e;
        }
    }

    private CommandResult runWithMeter(ShellCommand curl, ImageDownloadListener listener) {
        StringBuilder errors = new StringBuilder();
        RunningCommand running;
        try {
            running = hypervisor.start(curl, OutputSink.discard(), OutputSink.lines(line -> {
                Optional<CurlMeterLine> meter = CurlMeterLine.parse(line);
                if (meter.isPresent()) {
                    listener.bytes(
                            meter.get().received(),
                            meter.get().total(),
                            meter.get().bytesPerSecond());
                } else if (line.startsWith("curl:")) {
                    synchronized (errors) {
                        errors.append(line).append('\n');
                    }
                }
            }));
        } catch (UnsupportedOperationException e) {
            return hypervisor.run(curl, downloadTimeout);
        }
        try (running) {
            Optional<CommandResult> done = running.waitFor(downloadTimeout);
            if (done.isEmpty()) {
                running.kill();
                throw new OperationFailedException(
                        "the download of " + url + " on " + hypervisor.host() + " took longer than " + downloadTimeout);
            }
            CommandResult r = done.get();
            synchronized (errors) {
                return new CommandResult(r.host(), r.command(), r.exitStatus(), r.stdout(), errors.toString());
            }
        }
    }

    private RuntimeException curlFailure(CommandResult r, String what) {
        String why = abbreviate(r.stderr().strip());
        if (r.exitStatus() == CURL_HTTP_ERROR) {
            return new InvalidInputException("no image for os " + os + ": " + what + " answers with an error (" + why
                    + "); is " + os + " an OS the image server has?");
        }
        return new OperationFailedException("could not download " + what + " on " + hypervisor.host() + " (curl exit "
                + r.exitStatus() + "): " + why);
    }

    /** Takes the cache's flock: a background {@code flock} that holds it until its stdin closes. */
    private RunningCommand lock() {
        CountDownLatch locked = new CountDownLatch(1);
        RunningCommand holder = hypervisor.start(
                ShellCommand.format(
                        "exec flock -w {} {} -c {}",
                        LOCK_WAIT.toSeconds(),
                        lockFile(),
                        "echo " + LOCKED + " && exec cat >/dev/null"),
                OutputSink.lines(line -> {
                    if (line.strip().equals(LOCKED)) {
                        locked.countDown();
                    }
                }),
                OutputSink.collect());
        try {
            while (!locked.await(200, TimeUnit.MILLISECONDS)) {
                if (!holder.isRunning()) {
                    CommandResult r = holder.waitFor(Duration.ofSeconds(5)).orElse(null);
                    holder.close();
                    throw new OperationFailedException("could not lock " + lockFile() + " on " + hypervisor.host()
                            + (r == null
                                    ? ""
                                    : " (exit " + r.exitStatus() + "): "
                                            + abbreviate(r.stderr().strip())));
                }
            }
            return holder;
        } catch (InterruptedException e) {
            holder.close();
            Thread.currentThread().interrupt();
            throw new CancelledException(
                    "cancelled while waiting for the lock " + lockFile() + " on " + hypervisor.host());
        } catch (RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    /** Ends the lock holder (end of its stdin), with the interrupt flag cleared meanwhile. */
    private void release(RunningCommand holder) {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                holder.stdin().close();
                holder.waitFor(Duration.ofSeconds(10));
            } catch (IOException | RuntimeException e) {
                log.debug("releasing {} on {}: {}", lockFile(), hypervisor.host(), e.getMessage());
            } finally {
                holder.close(); // kills it if it still runs: the lock goes with the process
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void removeQuietly(String path) {
        boolean interrupted = Thread.interrupted();
        try {
            hypervisor.run(ShellCommand.of("rm", "-f", path));
        } catch (RuntimeException e) {
            log.warn("could not remove {} on {}: {}", path, hypervisor.host(), e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String abbreviate(String s) {
        String line = s.replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
