package org.hotlinemonitor.app.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hotlinemonitor.core.config.ApiConfig;
import org.hotlinemonitor.core.model.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who holds a token, and whether reads need one: the API's tokens, either the one token of {@code api.token} (named
 * {@value #SINGLE_TOKEN_NAME}, every scope) or those of a tokens file ({@link TokenFile}), which is read again every
 * {@link #POLL_EVERY} and taken when it changed. A change that does not parse (or a file that cannot be read) keeps
 * the tokens loaded before and logs one error naming file, line and field, once per change.
 *
 * <p>Secrets are compared as SHA-256 hashes with {@link MessageDigest#isEqual}, against every token without stopping
 * at a match, so the time taken tells nothing about the secret presented. Neither secrets nor hashes are logged.
 *
 * <p>Thread-safety: {@link #authenticate} is safe from any thread; a reload replaces the list at once. Whoever
 * creates it closes it (stops the file's poller; nothing else).
 */
public final class ApiAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAccess.class);

    /** How often the tokens file is read again: a token removed from it is refused about this long after. */
    public static final Duration POLL_EVERY = Duration.ofSeconds(1);

    /** The name of {@code api.token}'s one token: the {@code source} and {@code createdBy} of what it writes. */
    public static final String SINGLE_TOKEN_NAME = "api-token";

    private final boolean protectReads;
    private final Path file;
    private final Set<String> reserved;
    private final ScheduledExecutorService poller;
    private volatile List<ApiToken> tokens;
    /** The file's content last read, good or bad (null: unreadable); only the poller's thread touches it. */
    private byte[] lastSeen;
    private boolean lastUnreadable;
    private final AtomicLong checks = new AtomicLong();

    private ApiAccess(boolean protectReads, Path file, Set<String> reserved, List<ApiToken> tokens, byte[] content) {
        this.protectReads = protectReads;
        this.file = file;
        this.reserved = Set.copyOf(reserved);
        this.tokens = tokens;
        this.lastSeen = content;
        this.poller = file == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "api-tokens-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** The simple mode: one token, every scope. */
    public static ApiAccess single(Secret token, boolean protectReads) {
        return new ApiAccess(protectReads, null, Set.of(),
                List.of(TokenFile.token(SINGLE_TOKEN_NAME, token.value(), EnumSet.allOf(Scope.class))), null);
    }

    /**
     * The tokens of {@code file}, read again every {@code pollEvery} from now on.
     *
     * @param reserved names no token may have ({@link TokenFile#parse(String, String, Set)}): the scheduler's source
     * @throws TokenFile.Invalid when the file cannot be read or parsed (the message names file, line and field)
     */
    public static ApiAccess watching(Path file, boolean protectReads, Duration pollEvery, Set<String> reserved) throws TokenFile.Invalid {
        Objects.requireNonNull(file, "file");
        if (pollEvery.isNegative() || pollEvery.isZero()) {
            throw new IllegalArgumentException("pollEvery must be positive, was " + pollEvery);
        }
        byte[] content = read(file);
        ApiAccess access = new ApiAccess(protectReads, file, reserved, TokenFile.parse(file.toString(), text(content), reserved), content);
        LOG.info("API tokens from {}: {}", file, access.describe());
        access.poller.scheduleWithFixedDelay(access::check, pollEvery.toMillis(), pollEvery.toMillis(), TimeUnit.MILLISECONDS);
        return access;
    }

    /** As {@link #watching(Path, boolean, Duration, Set)}, no name reserved. */
    public static ApiAccess watching(Path file, boolean protectReads, Duration pollEvery) throws TokenFile.Invalid {
        return watching(file, protectReads, pollEvery, Set.of());
    }

    /**
     * From the {@code api:} settings: {@link #single} or {@link #watching} every {@link #POLL_EVERY}.
     *
     * @param reserved names no token may have: the sources of the monitor's own events
     */
    public static ApiAccess of(ApiConfig config, Set<String> reserved) throws TokenFile.Invalid {
        return config.tokens() != null ? watching(config.tokens(), config.protectReads(), POLL_EVERY, reserved)
                : single(config.token(), config.protectReads());
    }

    /** The token whose secret is {@code secret}, if any. */
    public Optional<ApiToken> authenticate(String secret) {
        byte[] hash = TokenFile.hash(secret);
        ApiToken found = null;
        for (ApiToken t : tokens) {
            if (MessageDigest.isEqual(hash, t.sha256())) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether reads need a token with the {@code read} scope. */
    public boolean protectReads() {
        return protectReads;
    }

    /** The tokens now in force. */
    public List<ApiToken> tokens() {
        return tokens;
    }

    /** Reads the file; takes its tokens when it changed and parses. Runs on the poller's thread. */
    private void check() {
        checks.incrementAndGet();
        try {
            byte[] content;
            try {
                content = read(file);
            } catch (TokenFile.Invalid e) {
                if (!lastUnreadable) {
                    lastUnreadable = true;
                    LOG.error("API tokens not reloaded, keeping the {} loaded before: {}", tokens.size(), e.getMessage());
                }
                return;
            }
            if (!lastUnreadable && Arrays.equals(content, lastSeen)) {
                return;
            }
            lastUnreadable = false;
            lastSeen = content;
            try {
                tokens = TokenFile.parse(file.toString(), text(content), reserved);
                LOG.info("API tokens reloaded from {}: {}", file, describe());
            } catch (TokenFile.Invalid e) {
                LOG.error("API tokens not reloaded, keeping the {} loaded before: {}", tokens.size(), e.getMessage());
            }
        } catch (RuntimeException e) { // a scheduled task that throws is never run again: keep polling
            LOG.error("API tokens: reloading {} failed", file, e);
        }
    }

    /** How many times the file was read since the start (for tests: a poll happened). */
    long checks() {
        return checks.get();
    }

    private String describe() {
        List<ApiToken> now = tokens;
        return now.size() + " token(s): " + String.join(", ", now.stream().map(t -> t.name() + " "
                + t.scopes().stream().map(Scope::id).toList()).toList());
    }

    private static byte[] read(Path file) throws TokenFile.Invalid {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenFile.Invalid(file + ": cannot read the tokens file (" + e + ")");
        }
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
