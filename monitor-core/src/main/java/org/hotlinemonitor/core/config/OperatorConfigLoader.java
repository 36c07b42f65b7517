package org.hotlinemonitor.core.config;

import java.io.Reader;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.config.ApiConfig;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.Mapping;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.config.YamlTree.Scalar;
import org.hotlinemonitor.core.config.YamlTree.ScalarKind;
import org.hotlinemonitor.core.config.YamlTree.Sequence;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.Silence;

/**
 * Loads the operators' sections of the monitor's YAML file: {@code silences:} (maintenance windows, {@link Silence}),
 * {@code api:} (the HTTP API's tokens, {@link ApiConfig}) and {@code signing:} (the sources that must sign their
 * events, {@link SigningConfig}). {@link ConfigLoader} accepts these keys and leaves them
 * to this class, which is as strict: unknown keys and bad values are problems with file, line, column and setting
 * path, all reported together in one {@link ConfigException}.
 *
 * <pre>{@code
 * api:
 *   tokens: api-tokens.txt          # named tokens with scopes (docs/security.md); relative to this file's directory
 *   # token: ${HOTLINE_API_TOKEN}   # or, the simple mode: one token that may do everything, from an environment variable
 *   protectReads: false             # optional, default false: GETs need a token (scope read) when true
 * silences:
 *   - id: switch-upgrade            # [a-z0-9._-]{1,64}, unique
 *     channels: ['liaison-*']       # optional: ids or globs; default every channel
 *     start: 2023-04-07T00:00:00Z   # a one-off window [start, end)
 *     end: 2023-04-07T02:00:00Z
 *     comment: switchboard firmware  # optional
 *   - id: nightly
 *     zone: Asia/Seoul              # a recurring window: from, to (local, HH:mm), zone, optional days
 *     from: '02:00'
 *     to: '03:00'
 *     days: [MON-FRI]               # optional, default every day
 * signing:
 *   sources:                        # source name: its key, a key file (relative to this file's directory)
 *     field-placer-1: keys/field-placer-1.key
 *     op-console: ${OP_CONSOLE_KEY} # or an environment variable; at least 32 bytes either way
 * }</pre>
 *
 * <p>Thread-safety: the static methods are safe to call from any thread.
 */
public final class OperatorConfigLoader {

    private static final List<String> API_KEYS = List.of("token", "tokens", "protectReads");
    private static final List<String> SILENCE_KEYS = List.of("id", "channels", "start", "end", "zone", "from", "to", "days", "comment");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern LOCAL_TIME = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");

    private final SectionProblems problems;

    private OperatorConfigLoader(String source) {
        this.problems = new SectionProblems(source);
    }

    /**
     * The {@code silences:} section of a UTF-8 file, checked; empty when there is none.
     *
     * @param channelIds the configured channels, to check the ids silences name (globs are not checked), or
     *                   {@code null} to check nothing
     */
    public static List<Silence> silences(Path file, Set<String> channelIds) throws ConfigException {
        ConfigLoader.Section section = ConfigLoader.section(file, "silences");
        return silences(section.source(), section.entry(), channelIds);
    }

    /** As {@link #silences(Path, Set)}, from a reader it does not close; problems name {@code sourceName}. */
    public static List<Silence> silences(String sourceName, Reader yaml, Set<String> channelIds) throws ConfigException {
        return silences(sourceName, ConfigLoader.section(ConfigLoader.readTree(sourceName, yaml), "silences"), channelIds);
    }

    private static List<Silence> silences(String sourceName, Entry entry, Set<String> channelIds) throws ConfigException {
        if (entry == null) {
            return List.of();
        }
        OperatorConfigLoader loader = new OperatorConfigLoader(sourceName);
        List<Silence> out = loader.silenceList(entry, channelIds);
        if (!loader.problems.isEmpty()) {
            throw loader.problems.failure();
        }
        return out;
    }

    /** The {@code api:} section of a UTF-8 file, checked; empty when there is none. */
    public static Optional<ApiConfig> api(Path file, Function<String, String> env) throws ConfigException {
        ConfigLoader.Section section = ConfigLoader.section(file, "api");
        return api(section.source(), section.entry(), env, section.dir());
    }

    /**
     * As {@link #api(Path, Function)}, from a reader it does not close; problems name {@code sourceName}. A relative
     * {@code tokens} path is taken as it is (relative to the working directory).
     *
     * @param env the process environment, usually {@code System::getenv}
     */
    public static Optional<ApiConfig> api(String sourceName, Reader yaml, Function<String, String> env) throws ConfigException {
        return api(sourceName, ConfigLoader.section(ConfigLoader.readTree(sourceName, yaml), "api"), env, null);
    }

    private static Optional<ApiConfig> api(String sourceName, Entry entry, Function<String, String> env, Path dir) throws ConfigException {
        if (entry == null) {
            return Optional.empty();
        }
        OperatorConfigLoader loader = new OperatorConfigLoader(sourceName);
        ApiConfig config = loader.apiConfig(entry, env, dir);
        if (!loader.problems.isEmpty()) {
            throw loader.problems.failure();
        }
        return Optional.of(config);
    }

    private ApiConfig apiConfig(Entry entry, Function<String, String> env, Path dir) {
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), "api", "expected a mapping with tokens or token, was " + ConfigLoader.describe(entry.value()));
            return null;
        }
        Map<String, Entry> keys = problems.keys(mapping, "api", API_KEYS);
        Secret token = null;
        Path tokens = null;
        if (keys.get("token") == null && keys.get("tokens") == null) {
            problems.add(mapping, "api.tokens", "missing; a tokens file (docs/security.md), or token: ${VARIABLE} for one token "
                    + "that may do everything");
        } else if (keys.get("token") != null && keys.get("tokens") != null) {
            problems.add(keys.get("token").value(), "api.token", "give tokens (a file of named tokens) or token (one token), not both");
        } else if (keys.get("tokens") != null) {
            Node node = keys.get("tokens").value();
            String text = problems.string(node, "api.tokens", "the path of the tokens file");
            if (text != null) {
                try {
                    Path p = Path.of(text);
                    tokens = dir == null ? p : dir.resolve(p);
                } catch (java.nio.file.InvalidPathException e) {
                    problems.add(node, "api.tokens", "not a path: " + e.getMessage());
                }
            }
        } else {
            Node node = keys.get("token").value();
            String text = problems.string(node, "api.token", "${VARIABLE}");
            if (text != null) {
                Matcher m = VARIABLE.matcher(text);
                if (!m.matches()) {
                    problems.add(node, "api.token", "write the token as ${VARIABLE}, the name of an environment variable that holds it, "
                            + "not the token itself");
                } else {
                    String value = env.apply(m.group(1));
                    if (value == null || value.isEmpty()) {
                        problems.add(node, "api.token", "the environment variable " + m.group(1) + " is not set");
                    } else {
                        token = new Secret(m.group(1), value);
                    }
                }
            }
        }
        boolean protectReads = false;
        if (keys.containsKey("protectReads")) {
            Node value = keys.get("protectReads").value();
            if (value instanceof Scalar s && s.kind() == ScalarKind.BOOLEAN) {
                protectReads = Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
            } else {
                problems.add(value, "api.protectReads", "expected true or false, was " + ConfigLoader.describe(value));
            }
        }
        return token == null && tokens == null ? null : new ApiConfig(token, tokens, protectReads);
    }

    /** The {@code signing:} section of a UTF-8 file, checked, its key files read; {@link SigningConfig#NONE} when there is none. */
    public static SigningConfig signing(Path file, Function<String, String> env) throws ConfigException {
        ConfigLoader.Section section = ConfigLoader.section(file, "signing");
        return signing(section.source(), section.entry(), env, section.dir());
    }

    /**
     * As {@link #signing(Path, Function)}, from a reader it does not close; problems name {@code sourceName}; a
     * relative key file path is taken relative to {@code dir} ({@code null}: the working directory).
     */
    public static SigningConfig signing(String sourceName, Reader yaml, Function<String, String> env, Path dir)
            throws ConfigException {
        return signing(sourceName, ConfigLoader.section(ConfigLoader.readTree(sourceName, yaml), "signing"), env, dir);
    }

    private static SigningConfig signing(String sourceName, Entry entry, Function<String, String> env, Path dir)
            throws ConfigException {
        if (entry == null) {
            return SigningConfig.NONE;
        }
        OperatorConfigLoader loader = new OperatorConfigLoader(sourceName);
        Map<String, Secret> keys = loader.signingKeys(entry, env, dir);
        if (!loader.problems.isEmpty()) {
            throw loader.problems.failure();
        }
        return new SigningConfig(keys);
    }

    private Map<String, Secret> signingKeys(Entry entry, Function<String, String> env, Path dir) {
        Map<String, Secret> out = new LinkedHashMap<>();
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), "signing", "expected a mapping with sources, was " + ConfigLoader.describe(entry.value()));
            return out;
        }
        Map<String, Entry> keys = problems.keys(mapping, "signing", List.of("sources"));
        Entry sources = keys.get("sources");
        if (sources == null) {
            problems.add(mapping, "signing.sources", "missing; a mapping of source name to its key file or ${VARIABLE}");
            return out;
        }
        if (!(sources.value() instanceof Mapping list)) {
            problems.add(sources.value(), "signing.sources", "expected a mapping of source name to its key file or ${VARIABLE}, was "
                    + ConfigLoader.describe(sources.value()));
            return out;
        }
        for (Entry e : list.entries()) {
            String path = "signing.sources." + e.key();
            if (e.key().isBlank()) {
                problems.add(e, path, "a source name must not be blank");
                continue;
            }
            String text = problems.string(e.value(), path, "a key file or ${VARIABLE}");
            if (text == null) {
                continue;
            }
            Secret key = null;
            Matcher m = VARIABLE.matcher(text);
            if (m.matches()) {
                String value = env.apply(m.group(1));
                if (value == null || value.isEmpty()) {
                    problems.add(e.value(), path, "the environment variable " + m.group(1) + " is not set");
                } else {
                    key = new Secret(m.group(1), value);
                }
            } else {
                key = keyFile(e.value(), path, text, dir);
            }
            if (key != null) {
                int n = key.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (n < org.hotlinemonitor.core.codec.EventSignature.MIN_KEY_BYTES) {
                    // The length only: never the key.
                    problems.add(e.value(), path, "the key has " + n + " bytes; at least "
                            + org.hotlinemonitor.core.codec.EventSignature.MIN_KEY_BYTES
                            + " are needed (for example: openssl rand -base64 32 > the key file)");
                } else {
                    out.put(e.key(), key);
                }
            }
        }
        return out;
    }

    /** A key file's text without its trailing line breaks, or {@code null} with a problem. Never shows the key. */
    private Secret keyFile(Node node, String path, String text, Path dir) {
        Path file;
        try {
            Path p = Path.of(text);
            file = dir == null ? p : dir.resolve(p);
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(node, path, "not a path: " + e.getMessage());
            return null;
        }
        String content;
        try {
            content = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            problems.add(node, path, "the key file " + file + " is not UTF-8 text (write the key as text, e.g. base64)");
            return null;
        } catch (java.io.IOException e) {
            problems.add(node, path, "cannot read the key file " + file + ": " + e.getClass().getSimpleName());
            return null;
        }
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            problems.add(node, path, "the key file " + file + " is empty");
            return null;
        }
        return new Secret(null, content.substring(0, end));
    }

    private List<Silence> silenceList(Entry entry, Set<String> channelIds) {
        List<Silence> out = new ArrayList<>();
        if (!(entry.value() instanceof Sequence list)) {
            if (!ConfigLoader.isNull(entry.value())) {
                problems.add(entry.value(), "silences", "expected a list of silences, was " + ConfigLoader.describe(entry.value()));
            }
            return out;
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            Silence s = silence(list.items().get(i), "silences[" + i + "]", channelIds, ids);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private Silence silence(Node node, String path, Set<String> channelIds, Map<String, Integer> ids) {
        if (!(node instanceof Mapping mapping)) {
            problems.add(node, path, "expected a silence (a mapping with id, and start/end or from/to/zone), was " + ConfigLoader.describe(node));
            return null;
        }
        int before = problems.count();
        Map<String, Entry> keys = problems.keys(mapping, path, SILENCE_KEYS);
        String id = null;
        if (keys.get("id") == null) {
            problems.add(mapping, path + ".id", "missing; every silence needs an id");
        } else {
            Node value = keys.get("id").value();
            id = problems.string(value, path + ".id", "an id");
            if (id != null && !Silence.ID.matcher(id).matches()) {
                problems.add(value, path + ".id", "bad id '" + id + "': use 1 to 64 of a-z, 0-9, '.', '_' and '-'");
            } else if (id != null && ids.containsKey(id)) {
                problems.add(value, path + ".id", "duplicate silence id '" + id + "', first at line " + ids.get(id));
            } else if (id != null) {
                ids.put(id, value.line());
            }
        }
        List<String> channels = new ArrayList<>();
        if (keys.get("channels") != null) {
            Node value = keys.get("channels").value();
            List<Node> items = value instanceof Sequence seq ? seq.items() : List.of(value);
            for (Node item : items) {
                String text = problems.string(item, path + ".channels", "a channel id or glob");
                if (text == null) {
                    continue;
                }
                if (channelIds != null && !Route.isGlob(text) && !channelIds.contains(text) && !text.equals(Channel.OUR_SIDE)) {
                    problems.add(item, path + ".channels", "unknown channel '" + text + "'" + ConfigLoader.didYouMean(text, channelIds));
                }
                channels.add(text);
            }
        }
        Instant start = keys.get("start") == null ? null : instant(keys.get("start").value(), path + ".start");
        Instant end = keys.get("end") == null ? null : instant(keys.get("end").value(), path + ".end");
        Silence.Recurrence recurrence = null;
        boolean recurring = keys.containsKey("from") || keys.containsKey("to") || keys.containsKey("zone") || keys.containsKey("days");
        if (recurring) {
            ZoneId zone = null;
            if (keys.get("zone") == null) {
                problems.add(mapping, path + ".zone", "missing; a recurring window is read in a time zone, like Asia/Seoul");
            } else {
                Node value = keys.get("zone").value();
                String text = problems.string(value, path + ".zone", "an IANA time zone like Asia/Seoul");
                if (text != null) {
                    try {
                        zone = ZoneId.of(text);
                    } catch (DateTimeException e) {
                        problems.add(value, path + ".zone", "unknown time zone '" + text + "'");
                    }
                }
            }
            LocalTime from = localTime(mapping, keys.get("from"), path + ".from");
            LocalTime to = localTime(mapping, keys.get("to"), path + ".to");
            Set<DayOfWeek> days = keys.get("days") == null ? Set.of() : days(keys.get("days").value(), path + ".days");
            if (from != null && to != null && from.equals(to)) {
                problems.add(keys.get("to").value(), path + ".to", "must differ from 'from' (" + from + "): the window would be empty");
            } else if (zone != null && from != null && to != null && days != null) {
                recurrence = new Silence.Recurrence(zone, from, to, days);
            }
        } else {
            if (keys.get("start") == null) {
                problems.add(mapping, path + ".start", "missing; give start and end, or a recurring window (zone, from, to)");
            }
            if (keys.get("end") == null) {
                problems.add(mapping, path + ".end", "missing; give start and end, or a recurring window (zone, from, to)");
            }
        }
        if (start != null && end != null && !end.isAfter(start)) {
            problems.add(keys.get("end").value(), path + ".end", "must be after start (" + start + "), was " + end);
        }
        String comment = keys.get("comment") == null ? null : problems.string(keys.get("comment").value(), path + ".comment", "text");
        if (problems.count() > before) {
            return null;
        }
        try {
            return new Silence(id, channels, start, end, recurrence, comment);
        } catch (IllegalArgumentException e) { // every rule is checked above; this keeps a gap from escaping
            problems.add(mapping, path, e.getMessage());
            return null;
        }
    }

    private Instant instant(Node node, String path) {
        String text = problems.string(node, path, "an ISO-8601 instant like 2023-04-07T00:00:00Z");
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(node, path, "bad instant '" + text + "', expected ISO-8601 with Z or an offset, like 2023-04-07T09:00:00+09:00");
            return null;
        }
    }

    private LocalTime localTime(Mapping mapping, Entry entry, String path) {
        if (entry == null) {
            problems.add(mapping, path, "missing; a local time HH:mm");
            return null;
        }
        String text = problems.string(entry.value(), path, "a local time HH:mm (quoted: '02:00')");
        if (text == null) {
            return null;
        }
        Matcher m = LOCAL_TIME.matcher(text);
        if (!m.matches()) {
            problems.add(entry.value(), path, "bad time '" + text + "', expected HH:mm like '02:00'");
            return null;
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Days as the channels' {@code days}: MON..SUN or full names, and ranges like MON-FRI. */
    private Set<DayOfWeek> days(Node node, String path) {
        List<Node> items = node instanceof Sequence seq ? seq.items() : List.of(node);
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        int before = problems.count();
        for (Node item : items) {
            String text = problems.string(item, path, "a day like MON, or a range like MON-FRI");
            if (text == null) {
                continue;
            }
            String[] ends = text.split("-", -1);
            DayOfWeek first = dayName(ends[0]);
            DayOfWeek last = ends.length == 2 ? dayName(ends[1]) : first;
            if (ends.length > 2 || first == null || last == null) {
                problems.add(item, path, "bad day '" + text + "'; expected MON..SUN (or full names), or a range like MON-FRI");
                continue;
            }
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        if (problems.count() > before) {
            return null;
        }
        if (days.isEmpty()) {
            problems.add(node, path, "name at least one day");
            return null;
        }
        return days;
    }

    private static DayOfWeek dayName(String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().equals(upper) || day.name().substring(0, 3).equals(upper)) {
                return day;
            }
        }
        return null;
    }




}
