package org.igvm.domain;

import org.igvm.api.LockInfo;
import org.igvm.api.Locks;
import org.igvm.api.UnlockRequest;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.lock.LockStatus;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.vm.VmLookup;

/** The domain's implementation of the {@link Locks} facade, over {@link ObjectLocks}. */
public final class LockService implements Locks {
    private final InventoryPort inventory;
    private final ObjectLocks locks;

    public LockService(InventoryPort inventory, ObjectLocks locks) {
        this.inventory = inventory;
        this.locks = locks;
    }

    @Override
    public LockInfo status(String host) {
        return asApi(locks.status(new VmLookup(inventory).object(host)));
    }

    @Override
    public LockInfo unlock(UnlockRequest request) {
        return asApi(locks.breakLock(new VmLookup(inventory).object(request.host()), request.force()));
    }

    private static LockInfo asApi(LockStatus status) {
        return new LockInfo(
                status.hostname(), status.locked(), status.since(), status.owner(), status.stale(), status.describe());
    }
}
