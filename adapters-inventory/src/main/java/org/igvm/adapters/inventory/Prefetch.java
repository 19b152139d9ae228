package org.igvm.adapters.inventory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a source iterator on its own thread, a bounded number of chunks ahead of the consumer, so
 * that parsing a fleet file and writing it to the database use both cores. An exception of the
 * source arrives at the consumer in order, where the source would have thrown it; {@link #close}
 * stops the producer.
 */
final class Prefetch<T> implements Iterator<T>, AutoCloseable {
    private static final int CHUNK = 512;
    private static final int CHUNKS_AHEAD = 16;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    private final Thread producer;
    private Iterator<T> current = List.<T>of().iterator();
    private boolean done;

    private record Failure(RuntimeException exception) {}

    private static final Object END = new Object();

    Prefetch(Iterator<T> source, String name) {
        producer = new Thread(
                () -> {
                    try {
                        List<T> chunk = new ArrayList<>(CHUNK);
                        while (source.hasNext()) {
                            chunk.add(source.next());
                            if (chunk.size() == CHUNK) {
                                queue.put(chunk);
                                chunk = new ArrayList<>(CHUNK);
                            }
                        }
                        if (!chunk.isEmpty()) {
                            queue.put(chunk);
                        }
                        queue.put(END);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        try {
                            queue.put(new Failure(e));
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                name);
        producer.setDaemon(true);
        producer.start();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (done) {
                return false;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading ahead", e);
            }
            if (item == END) {
                done = true;
                return false;
            }
            if (item instanceof Failure failure) {
                done = true;
                // Rethrown on this thread, with this thread's stack as cause for context.
                failure.exception().addSuppressed(new RuntimeException("read ahead on " + producer.getName()));
                throw failure.exception();
            }
            current = ((List<T>) item).iterator();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    @Override
    public void close() {
        producer.interrupt();
    }
}
