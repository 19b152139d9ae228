package org.igvm.domain.transaction;

/** Reverses one completed step of an operation. */
@FunctionalInterface
public interface Undo {
    void run() throws Exception;
}
