package org.hotlinemonitor.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API's tokens file (docs/security.md): one token a line, {@code NAME sha256:HEX SCOPE[,SCOPE...]}, fields
 * separated by spaces or tabs; blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 * # who      hash of the secret                                                        scopes
 * ops-kim    sha256:5f0c2e0d6b4c0a3d3f4e2b1a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d  record,read
 * </pre>
 *
 * <p>Only the SHA-256 of a secret is kept. Secrets are 32 random bytes ({@link #newSecret}), so the hash cannot be
 * reversed by guessing: a slow password hash (bcrypt, argon2) would add nothing but latency on every request.
 *
 * <p>Pure: {@link #parse} reads text, and reports every bad line together, each with file, line and field.
 */
public final class TokenFile {

    /** What every secret starts with, so that a leaked one is recognised (by people and by secret scanners). */
    public static final String SECRET_PREFIX = "hm_";
    private static final String HASH_PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();

    private TokenFile() {
    }

    /** A tokens file that cannot be used: the message is {@code FILE:LINE: FIELD: what is wrong}, one line per problem. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /**
     * The tokens in {@code text}; at least one.
     *
     * @param source the file's name, for messages
     * @throws Invalid listing every bad line, one a line (a missing field, a bad name, hash or scope, a name or hash
     *                 given twice), or when the file holds no token
     */
    public static List<ApiToken> parse(String source, String text) throws Invalid {
        return parse(source, text, Set.of());
    }

    /**
     * As {@link #parse(String, String)}, refusing the names in {@code reserved}: the sources of the monitor's own
     * placers, for which a token must not pass, as the events it records carry its name.
     */
    public static List<ApiToken> parse(String source, String text, Set<String> reserved) throws Invalid {
        List<ApiToken> tokens = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> hashes = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                tokens.add(parseLine(line, i + 1, source + ":" + (i + 1) + ": ", reserved, names, hashes));
            } catch (Invalid e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("\n", problems));
        }
        if (tokens.isEmpty()) {
            throw new Invalid(source + ":1: name: no token in the file; every request would be refused (to refuse them all on "
                    + "purpose, remove the api: section)");
        }
        return List.copyOf(tokens);
    }

    /** One line's token; a good one's name and hash are added to {@code names} and {@code hashes} (value: its line). */
    private static ApiToken parseLine(String line, int number, String where, Set<String> reserved, Map<String, Integer> names,
                                      Map<String, Integer> hashes) throws Invalid {
        String[] fields = line.split("[ \t]+");
        if (fields.length < 3) {
            String missing = fields.length == 1 ? "hash" : "scopes";
            throw new Invalid(where + missing + ": missing; expected NAME sha256:HEX SCOPE[,SCOPE...]");
        }
        if (fields.length > 3) { // the extra field is not shown: it might be a secret pasted in by mistake
            throw new Invalid(where + "scopes: a field after the scopes; separate scopes with commas, no spaces, and put "
                    + "comments on lines of their own");
        }
        String name = fields[0];
        if (!ApiToken.NAME.matcher(name).matches()) {
            throw new Invalid(where + "name: " + (name.startsWith(SECRET_PREFIX) ? "a secret (not shown), not a name: never put "
                    + "secrets in this file" : "'" + name + "' is not a name") + "; use 1 to 64 of a-z, 0-9, '.', '_' and '-'");
        }
        if (reserved.contains(name)) {
            throw new Invalid(where + "name: '" + name + "' is the source of the monitor's own events (run --source); "
                    + "a token must not record calls that pass for them");
        }
        if (names.containsKey(name)) {
            throw new Invalid(where + "name: '" + name + "' is already on line " + names.get(name));
        }
        String hash = fields[1];
        if (!hash.startsWith(HASH_PREFIX) || !hash.substring(HASH_PREFIX.length()).matches("[0-9a-f]{64}")) {
            // not shown: a secret pasted here instead of its hash must not reach the log
            throw new Invalid(where + "hash: expected sha256: and 64 lowercase hex digits (the token command prints the line), "
                    + (hash.startsWith(SECRET_PREFIX) ? "found a secret (not shown): never put secrets in this file, and make a new "
                    + "token, as this one may have leaked" : "found " + hash.length() + " characters of something else"));
        }
        String hex = hash.substring(HASH_PREFIX.length());
        if (hashes.containsKey(hex)) {
            throw new Invalid(where + "hash: the same secret as line " + hashes.get(hex) + "; give each holder a token of their own");
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : fields[2].split(",", -1)) {
            Scope scope = Scope.of(s);
            if (scope == null) {
                throw new Invalid(where + "scopes: unknown scope '" + s + "'; expected record, silence or read, separated by commas");
            }
            scopes.add(scope);
        }
        names.put(name, number);
        hashes.put(hex, number);
        return new ApiToken(name, HEX.parseHex(hex), scopes);
    }

    /** The line for {@code token} in the file: {@code NAME sha256:HEX SCOPE,...}. */
    public static String line(ApiToken token) {
        return token.name() + " " + HASH_PREFIX + HEX.formatHex(token.sha256()) + " "
                + token.scopes().stream().map(Scope::id).collect(Collectors.joining(","));
    }

    /** A new secret: {@value #SECRET_PREFIX} and 32 random bytes in URL-safe base64, 46 characters. */
    public static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of the secret's UTF-8 bytes. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The token of {@code secret}, as the file would hold it. */
    public static ApiToken token(String name, String secret, Set<Scope> scopes) {
        return new ApiToken(name, hash(secret), scopes);
    }
}
