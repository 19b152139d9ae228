package org.igvm.bootstrap;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.HeldLock;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.ObjectLocks;

/**
 * Another igvm, in its own JVM, holding one lock on a shared inventory: {@code LockHolderProcess
 * URL HOSTNAME STALE_SECONDS HEARTBEAT_MILLIS}. Its owner names another machine, so only the
 * heartbeat rule can make its lock stale. Prints "locked", "lost: REASON" when its lock is broken,
 * and "released" after a "release" line on stdin.
 */
public final class LockHolderProcess {
    private LockHolderProcess() {}

    public static void main(String[] args) throws Exception {
        IgvmConfig config = IgvmConfig.parse(Map.of("inventory", Map.of("url", args[0])), "lock holder");
        try (IgvmRuntime runtime = IgvmRuntime.start(config)) {
            ObjectLocks locks = new ObjectLocks(
                    runtime.inventory(),
                    Clock.systemUTC(),
                    new LockOwner(
                            "child", "elsewhere.test", ProcessHandle.current().pid()),
                    Duration.ofSeconds(Long.parseLong(args[2])),
                    Duration.ofMillis(Long.parseLong(args[3])));
            ServerObject object =
                    runtime.inventory().query(Query.where("hostname", args[1])).get(0);
            HeldLock lock = locks.acquire(object, reason -> System.out.println("lost: " + reason));
            System.out.println("locked");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("release")) {
                    lock.close();
                    System.out.println("released");
                }
            }
            locks.close();
        }
    }
}
