package org.hotlinemonitor.core.replay;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.EventKind;

/**
 * Reads, parses and checks one input on a thread of its own, handing the records over in batches,
 * so that the replay thread only orders and applies events: on two cores, parsing and detection run
 * side by side. Batches are recycled; a record's raw bytes travel with it for the rejects file.
 *
 * <p>Use from one consumer thread: {@link #next} until it returns {@code null}, {@link #recycle} each
 * batch when done with it, and {@link #close} (also on error: it stops the reading thread).
 */
final class ReadAhead implements AutoCloseable {

    static final int BATCH = 2048;
    private static final int IN_FLIGHT = 4;

    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT + 2);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(IN_FLIGHT + 2);
    private final Thread thread;
    private volatile boolean cancelled;
    private boolean done;

    /**
     * One batch of records: for each, an event (in parts: channel index, kind ordinal, time, named slot)
     * or a rejection, its line number and its bytes.
     */
    static final class Batch {
        int size;
        final int[] channels = new int[BATCH];
        final EventKind[] kinds = new EventKind[BATCH];
        final long[] times = new long[BATCH];
        final long[] slots = new long[BATCH];
        /** Per record: its source, or {@code null} (the parser's cached strings: no copy per record). */
        final String[] sources = new String[BATCH];
        final Rejection[] rejections = new Rejection[BATCH];
        final long[] lines = new long[BATCH];
        /** Per record: where in {@link #raw} its unresolved channel id starts, or -1. */
        final int[] unresolved = new int[BATCH];
        final int[] unresolvedLength = new int[BATCH];
        final int[] rawStart = new int[BATCH];
        final int[] rawLength = new int[BATCH];
        byte[] raw = new byte[BATCH * 160];
        int rawUsed;
        long bytesRead;
        boolean last;
        Throwable failure;
        /** On the last batch: why the input ended early, or {@code null} when it was read to its end. */
        InputDamage damage;

        /** Record {@code i}'s bytes as kept in the rejects. */
        RejectRecord.Raw text(int i) {
            return RejectRecord.Raw.of(raw, rawStart[i], rawLength[i]);
        }

        void clear() {
            Arrays.fill(rejections, 0, size, null);
            Arrays.fill(sources, 0, size, null);
            size = 0;
            rawUsed = 0;
            last = false;
            failure = null;
            damage = null;
        }
    }

    /**
     * Starts reading {@code input}; the {@link EventGate}'s checks are applied to each parsed event on the reading
     * thread (with the gate's own {@link EventGate#copy() copy}) and a non-null result refuses the event; the channel
     * is resolved to its index there too, in the gate's one order ({@link EventGate#admit}): the signature of a
     * signing source's event at once, as it is read, then the rest ({@link EventGate#admitSigned}), for most events
     * once the batch's channel ids are looked up.
     */
    ReadAhead(LogInput input, InputStream stdin, EventGate gate) {
        for (int i = 0; i < IN_FLIGHT + 2; i++) {
            free.add(new Batch());
        }
        thread = new Thread(() -> produce(input, stdin, gate), "replay-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(LogInput input, InputStream stdin, EventGate shared) {
        EventGate check = shared.copy();
        Batch b = null;
        try (EventReader reader = new EventReader(input, stdin, check::indexOf, check.channels(), true)) {
            b = take(free);
            while (b != null && reader.next()) {
                int i = b.size;
                int len = reader.lineLength();
                if (b.rawUsed + len > b.raw.length) {
                    b.raw = Arrays.copyOf(b.raw, Math.max(b.raw.length * 2, b.rawUsed + len));
                }
                System.arraycopy(reader.lineBuffer(), reader.lineStart(), b.raw, b.rawUsed, len);
                b.rawStart[i] = b.rawUsed;
                b.rawLength[i] = len;
                b.rawUsed += len;
                b.lines[i] = reader.lineNumber();
                b.unresolved[i] = -1;
                Rejection r = reader.rejection();
                if (reader.hasEvent()) {
                    EventKind kind = reader.kind();
                    b.kinds[i] = kind;
                    b.times[i] = reader.tsMillis();
                    b.slots[i] = reader.slotMillis(); // Millis.NONE for none
                    b.sources[i] = reader.source();
                    Rejection badSignature = check.signs(b.sources[i]) ? checkSignature(b, i, reader, check) : null;
                    if (badSignature != null) {
                        r = badSignature;
                    } else if (kind == EventKind.HEARTBEAT) {
                        b.channels[i] = -1;
                        r = admitted(check, kind, -1, null, b.times[i], b.slots[i]);
                    } else if (reader.channelOffset() >= 0) {
                        b.unresolved[i] = b.rawStart[i] + reader.channelOffset(); // resolved with the batch
                        b.unresolvedLength[i] = reader.channelLength();
                    } else {
                        r = resolved(b, i, reader, check, reader.channelTag());
                    }
                }
                b.rejections[i] = r;
                if (++b.size == BATCH) {
                    resolveChannels(b, reader, check);
                    b.bytesRead = reader.bytesRead();
                    put(b);
                    b = take(free);
                }
            }
            if (b != null) {
                resolveChannels(b, reader, check);
                b.bytesRead = reader.bytesRead();
                b.last = true;
                b.damage = reader.damage();
                put(b);
            }
        } catch (Throwable t) {
            Batch failed = b != null ? b : new Batch();
            failed.failure = t;
            failed.last = true;
            put(failed);
        }
    }

    /**
     * The {@code bad-signature} rejection of event {@code i}, whose source signs, or {@code null}. Rare (only events
     * of signing sources), so it may allocate: the signed form needs the event whole, its channel id resolved now.
     */
    private static Rejection checkSignature(Batch b, int i, EventReader reader, EventGate gate) {
        if (reader.channelOffset() >= 0) {
            reader.resolveChannel(b.raw, b.rawStart[i] + reader.channelOffset(), reader.channelLength());
        }
        return gate.signature(reader.event());
    }

    /**
     * Looks up the channel ids of a whole batch in one tight loop, then checks those events: done per
     * line, each lookup would wait for its cache miss; here the processor keeps several in flight.
     */
    private static void resolveChannels(Batch b, EventReader reader, EventGate check) {
        int[] tags = b.channels;
        for (int i = 0; i < b.size; i++) {
            if (b.unresolved[i] >= 0) {
                tags[i] = reader.resolveChannel(b.raw, b.unresolved[i], b.unresolvedLength[i]);
            }
        }
        for (int i = 0; i < b.size; i++) {
            if (b.unresolved[i] >= 0) {
                if (tags[i] == EventDecoder.NO_TAG) {
                    reader.resolveChannel(b.raw, b.unresolved[i], b.unresolvedLength[i]); // for its id
                }
                b.rejections[i] = resolved(b, i, reader, check, tags[i]);
            }
        }
    }

    /** Checks event {@code i} of the batch once its channel is known ({@code tag}: its index, or NO_TAG to look up). */
    private static Rejection resolved(Batch b, int i, EventReader reader, EventGate check, int tag) {
        int channel = tag;
        String id = null;
        if (channel == EventDecoder.NO_TAG) { // not cached: look the id up by value
            id = b.unresolved[i] >= 0 ? reader.resolvedChannel() : reader.channelId();
            channel = check.indexOf(id);
        }
        b.channels[i] = channel;
        Rejection r = admitted(check, b.kinds[i], channel, id, b.times[i], b.slots[i]);
        if (r != null && channel < 0 && id == null) {
            // The message names the unknown id: resolve it again (rare: only refused events get here).
            reader.resolveChannel(b.raw, b.unresolved[i], b.unresolvedLength[i]);
            r = admitted(check, b.kinds[i], channel, reader.resolvedChannel(), b.times[i], b.slots[i]);
        }
        return r;
    }

    /**
     * The gate's checks after the signature ({@link EventGate#admitSigned}), which {@link #produce} settled first: a
     * signing source's event at once, the others need none. A file has no partitions.
     */
    private static Rejection admitted(EventGate check, EventKind kind, int channel, String id, long ts, long slot) {
        return check.admitSigned(kind, channel, id, ts, slot, EventGate.NO_OWNER, 0, 0);
    }

    /** The next batch, or {@code null} after the last one. Rethrows the reading thread's failure. */
    Batch next() throws IOException {
        if (done) {
            return null;
        }
        Batch b;
        try {
            b = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        }
        if (b.last) {
            done = true;
        }
        if (b.failure != null) {
            Throwable t = b.failure;
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException rt) {
                throw rt;
            }
            throw new IllegalStateException("reading failed", t);
        }
        return b;
    }

    void recycle(Batch b) {
        b.clear();
        free.offer(b);
    }

    @Override
    public void close() {
        cancelled = true;
        thread.interrupt();
    }

    private Batch take(BlockingQueue<Batch> q) {
        try {
            while (!cancelled) {
                Batch b = q.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void put(Batch b) {
        try {
            while (!cancelled && !full.offer(b, 100, TimeUnit.MILLISECONDS)) {
                // the consumer is busy; wait
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
