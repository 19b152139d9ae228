package org.igvm.adapters.inventory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.igvm.api.ConflictException;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;

/**
 * A child JVM that races for an object's lock: prints {@code READY}, waits for a line on stdin,
 * then THREADS threads each try {@code igvm_locked} empty → now; prints {@code WON label} or
 * {@code LOST label} per thread.
 */
public final class LockRaceProcess {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        long objectId = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        String name = args[3];
        try (JdbcInventory inventory = new JdbcInventory(InventoryConfig.of(url))) {
            System.out.println("READY");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String label = name + "-" + i;
                Thread racer = new Thread(() -> {
                    try {
                        start.await();
                        inventory.commit(Commit.of(ObjectChange.set(
                                        objectId, "igvm_locked", null, AttributeSchema.timestamp(Instant.now()))
                                .and("igvm_locked_by", null, label)));
                        System.out.println("WON " + label);
                    } catch (ConflictException e) {
                        System.out.println("LOST " + label);
                    } catch (Exception e) {
                        System.out.println("FAILED " + label + " " + e);
                    }
                });
                racer.start();
                racers.add(racer);
            }
            start.countDown();
            for (Thread racer : racers) {
                racer.join();
            }
        }
        System.out.println("DONE");
    }
}
