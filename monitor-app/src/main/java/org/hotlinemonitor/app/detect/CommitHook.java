package org.hotlinemonitor.app.detect;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing and runs an action just before each commit of its task: what lets the
 * detector keep its state in memory and save to its changelogged stores only what changed since the last
 * commit, inside the same transaction as the input offsets and the output records.
 *
 * <h2>Why a store</h2>
 * Kafka Streams offers a processor no "before commit" callback. It does, at every commit and before it
 * flushes the record collector and commits the transaction (with {@code exactly_once_v2}), flush the caches
 * of the task's stores: {@code StreamTask.prepareCommit} → {@code ProcessorStateManager.flushCache}, which
 * calls {@link CachedStateStore#flushCache} on every registered store that implements it. This store
 * implements it and runs the action there. {@code CachedStateStore} is an internal interface of Kafka
 * Streams: a Kafka upgrade must keep {@code DetectorServiceTest}'s restart and crash tests green, which fail if
 * the action stops running before commits.
 *
 * <p>The action writes to the detector's stores, which must therefore not be cached themselves (a cache
 * flushed before the action ran would hold the writes until the next commit). Writes made during the flush
 * are logged with the record context of the task's last record or punctuation: a task whose commit is needed
 * has processed one.
 *
 * <p>Not persistent, not logged. Called from the task's stream thread only.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

    private final String name;
    private volatile boolean open;
    private Runnable beforeCommit;

    CommitHook(String name) {
        this.name = name;
    }

    /** Sets what runs before each commit of the task ({@code null}: nothing). */
    void beforeCommit(Runnable action) {
        this.beforeCommit = action;
    }

    @Override
    public void flushCache() {
        Runnable action = beforeCommit;
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void clearCache() {
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException("the commit hook has no changelog to restore");
        });
        open = true;
    }

    @Override
    public void close() {
        open = false;
        beforeCommit = null;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Builds one hook per task. */
    static final class Builder implements StoreBuilder<CommitHook> {
        private final String name;

        Builder(String name) {
            this.name = name;
        }

        @Override
        public StoreBuilder<CommitHook> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("the commit hook has nothing to log");
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingDisabled() {
            return this;
        }

        @Override
        public CommitHook build() {
            return new CommitHook(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
