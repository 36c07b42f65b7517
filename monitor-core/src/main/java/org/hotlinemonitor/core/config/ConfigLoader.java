package org.hotlinemonitor.core.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.Mapping;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.config.YamlTree.Scalar;
import org.hotlinemonitor.core.config.YamlTree.ScalarKind;
import org.hotlinemonitor.core.config.YamlTree.Sequence;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.Cron;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * Loads the channel configuration from YAML. Every problem in the file is collected, each with its file,
 * line, column and setting path, and reported together in one {@link ConfigException}.
 *
 * <p>The format (a public contract):
 * <pre>{@code
 * defaults:                         # optional
 *   answerWithin: PT1H              # ISO-8601 duration, positive, at most P1D; built-in default PT1H
 *   downAfter: 2                    # whole number >= 1; built-in default 2
 *   zone: Asia/Seoul                # optional; without it every channel needs a zone
 * allowedLateness: PT5M             # optional ISO-8601 duration >= 0
 * maxJump: P1D                      # optional ISO-8601 duration > 0: replay's bound on a jump of time
 * silentAfter: PT1M                 # optional ISO-8601 duration > 0: no heartbeat for this long = our side silent
 * channels:
 *   - id: liaison-office            # [a-z0-9._-]{1,64}, unique
 *     name: Inter-Korean liaison office line   # optional, defaults to the id
 *     zone: Asia/Seoul              # IANA zone id
 *     checks: ['09:00', '17:00']    # local times HH:mm or HH:mm:ss
 *     days: [MON-FRI]               # optional, default every day: MON..SUN, MONDAY..SUNDAY, ranges
 *     answerWithin: PT1H
 *     downAfter: 2
 *   - id: east-coast-military
 *     cron: "0 9,16 * * *"          # instead of checks and days; see Cron
 * notify: ...                       # optional: alert delivery, read and checked by NotifyConfigLoader
 * api: ...                          # optional: the HTTP API's token, read and checked by OperatorConfigLoader
 * silences: ...                     # optional: maintenance windows, read and checked by OperatorConfigLoader
 * signing: ...                      # optional: sources that must sign their events, read by OperatorConfigLoader
 * }</pre>
 *
 * <p>The same settings may be written as JSON (a {@code .json} file), and a directory of files may be read as one
 * configuration: see {@link #load(Path)} and docs/formats.md.
 *
 * <p>Keys are strict: an unknown key is a problem, so a misspelt setting never silently falls back to its
 * default. YAML anchors may be set but aliases and merge keys are refused (use {@code defaults}).
 *
 * <p>Thread-safety: the static methods are safe to call from any thread.
 */
public final class ConfigLoader {

    /** The answer window when neither the channel nor {@code defaults} sets one. */
    public static final Duration DEFAULT_ANSWER_WITHIN = Duration.ofHours(1);

    /** Consecutive missed slots that make a channel DOWN when neither the channel nor {@code defaults} says. */
    public static final int DEFAULT_DOWN_AFTER = 2;
    /**
     * The JDK's zone ids, read once: {@link ZoneId#getAvailableZoneIds()} builds a new set of about 600 names on every
     * call, which once per channel made loading 100,000 channels slow and its garbage large (issue 21).
     */
    private static final Set<String> KNOWN_ZONES = Collections.unmodifiableSet(ZoneId.getAvailableZoneIds());

    /**
     * {@code notify} is the notifier's section ({@link NotifyConfigLoader}); {@code api} and {@code silences} the
     * operators' ({@link OperatorConfigLoader}); {@code kafka} the Kafka clients' ({@link KafkaConfigLoader}); {@code signing}
     * the sources that sign their events ({@link OperatorConfigLoader}).
     */
    private static final List<String> TOP_KEYS = List.of("defaults", "allowedLateness", "silentAfter", "maxJump", "channels",
            "notify", "api", "silences", "kafka", "signing");
    private static final List<String> DEFAULTS_KEYS = List.of("answerWithin", "downAfter", "zone");
    private static final List<String> CHANNEL_KEYS =
            List.of("id", "name", "zone", "checks", "days", "cron", "answerWithin", "downAfter");

    /** Keys that are valid elsewhere, with the hint to give when they turn up in the wrong place. */
    private static final Map<String, String> NOT_AT_TOP = hints(
            "belongs under defaults or on a channel", "answerWithin", "downAfter", "zone");
    private static final Map<String, String> NOT_IN_DEFAULTS = hints(
            "cannot have a default; set it on each channel", "id", "name", "checks", "days", "cron");
    private static final Map<String, String> NOT_IN_CHANNEL = hints(
            "is a top-level setting, not a channel setting", "allowedLateness", "silentAfter", "maxJump", "defaults",
            "channels");

    /** What a check time is; {@link #checkTime} applies it by hand. */
    static final Pattern CHECK_TIME = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?");

    private final String source;
    private final List<ConfigProblem> problems = new ArrayList<>();

    /** The file's own channel ids, each with the line it was first used at. */
    private final Map<String, Integer> idLines = new HashMap<>();
    /** The ids of the files of the directory read before this one (empty for a lone file). */
    private final Map<String, IdAt> earlierIds;
    /** Part of a directory: a file without {@code channels} is fine there (it may hold settings only). */
    private final boolean inDirectory;
    /** The {@code defaults} entry of a first pass (it came after {@code channels}), or null. */
    private final Entry presetDefaults;

    // What the streamed reading of the channels list gave (see ChannelSink).
    private boolean listStreamed;
    private boolean defaultsBeforeList;
    private int streamedCount;
    private final List<Channel> streamedChannels = new ArrayList<>();
    private Node root;

    // Values that most channels of a large file repeat, parsed once (by the thread that converts the channels).
    private final Map<String, Duration> durations = new HashMap<>();
    private final Map<String, ZoneId> zones = new HashMap<>();
    private final Map<List<Object>, Schedule> schedules = new HashMap<>();

    private ConfigLoader(String source) {
        this(source, Map.of(), false, null);
    }

    private ConfigLoader(String source, Map<String, IdAt> earlierIds, boolean inDirectory, Entry presetDefaults) {
        this.source = source;
        this.earlierIds = earlierIds;
        this.inDirectory = inDirectory;
        this.presetDefaults = presetDefaults;
    }

    /** Where a channel id of an earlier file of a directory was first used. */
    private record IdAt(String source, int line) {
    }

    /**
     * Reads and validates a UTF-8 configuration file, YAML or (named {@code *.json}) JSON, or a directory of them
     * (every {@code *.yaml}, {@code *.yml} and {@code *.json} file in it, in name order, as one configuration; see
     * docs/formats.md for the rules). Problems name the file they are in, as {@code file.toString()} (a directory's
     * files as {@code dir.resolve(name)}).
     *
     * <p>The file is read once per process: the channels are converted as they are read (the items' trees are
     * dropped at once, so a file of a million channels never exists as a whole tree), and the rest of the file (its
     * small top-level sections) is kept for {@link NotifyConfigLoader}, {@link OperatorConfigLoader} and
     * {@link KafkaConfigLoader}, which ask for the same path. A file changed on disk (size, time or inode) is read
     * again.
     *
     * @throws ConfigException with every problem found, including a file that cannot be read
     */
    public static MonitorConfig load(Path file) throws ConfigException {
        Read read = read(file);
        if (read.failure() != null) {
            throw read.failure();
        }
        return read.config();
    }

    /**
     * Reads and validates a configuration. Does not close {@code yaml}. The text is held in memory (a
     * {@code defaults:} after {@code channels:} takes a second pass); a large file is better read by
     * {@link #load(Path)}.
     *
     * @param sourceName how problems name the source, usually a file name
     * @throws ConfigException with every problem found
     */
    public static MonitorConfig load(String sourceName, Reader yaml) throws ConfigException {
        String text;
        try {
            StringWriter all = new StringWriter();
            yaml.transferTo(all);
            text = all.toString();
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(sourceName, 0, 0, "", cannotRead(e))));
        }
        ConfigLoader loader = readFile(sourceName, YamlTree.Syntax.YAML, () -> new StringReader(text), Map.of(), false);
        FileSettings settings = loader.settings();
        if (!loader.problems.isEmpty()) {
            throw loader.failure();
        }
        return settings.config();
    }

    /**
     * Reads and validates one channel written alone as a JSON object, with the keys and rules of an item of a file's
     * {@code channels} list and the built-in defaults ({@code answerWithin} PT1H, {@code downAfter} 2, no default
     * zone): a record of a channels topic ({@link ChannelRecords}). Problems name {@code source} (say, the topic,
     * partition and offset), the line and column within {@code json} and the field as {@code channel.zone}.
     *
     * @throws ConfigException with every problem found
     */
    public static Channel channel(String source, String json) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(source);
        Node node;
        try {
            node = YamlTree.read(YamlTree.Syntax.JSON, new StringReader(json), null, null);
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(List.of(new ConfigProblem(source, e.line, e.column, "", e.getMessage())));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(source, 0, 0, "", cannotRead(e))));
        }
        if (node == null) {
            throw new ConfigException(List.of(new ConfigProblem(source, 1, 1, "", "empty; expected a channel as a JSON object")));
        }
        Channel channel = loader.channel(node, "channel", new Defaults(DEFAULT_ANSWER_WITHIN, DEFAULT_DOWN_AFTER, null, false),
                new HashMap<>());
        if (!loader.problems.isEmpty() || channel == null) {
            throw loader.failure();
        }
        return channel;
    }

    // ---- reading: each file once, its channels streamed ----

    /**
     * One file's or directory's reading: the configuration (or the failure listing every problem), and each file's
     * top level without its channel items, for the other sections' loaders.
     *
     * @param unreadable a file that could not be read or parsed (then the sections cannot be trusted), or null
     */
    private record Read(MonitorConfig config, ConfigException failure, List<Part> parts, ConfigException unreadable) {
    }

    /** A file's top-level mapping, its {@code channels} list left empty. */
    private record Part(Path file, Node top) {
    }

    /**
     * A top-level section of a configuration file or directory: the file it is in (how its problems name it), that
     * file's directory (for relative paths in it) and its entry, or a null entry when no file has it.
     */
    record Section(String source, Path dir, Entry entry) {
    }

    /** The reads of this process, most recently used last; a few, for the tests that load many files. */
    private static final Map<List<Object>, Read> READS = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, Read> eldest) {
            return size() > 4;
        }
    };

    private static synchronized Read read(Path path) {
        List<Object> stamp = stamp(path);
        Read read = stamp == null ? null : READS.get(stamp);
        if (read == null) {
            read = Files.isDirectory(path) ? readDirectory(path) : readLoneFile(path);
            if (stamp != null) {
                READS.put(stamp, read);
            }
        }
        return read;
    }

    /** Files up to this size are checksummed for {@link #stamp}: cheap, and exact for quick rewrites (tests). */
    private static final long SMALL_FILE = 1 << 20;

    /**
     * What makes a read still good: the path and each file's size, modification time and identity (and the checksum of a
     * small file); null if unknown.
     */
    private static List<Object> stamp(Path path) {
        try {
            List<Object> stamp = new ArrayList<>();
            Path absolute = path.toAbsolutePath().normalize();
            stamp.add(absolute.toString());
            List<Path> files = Files.isDirectory(absolute) ? filesOf(absolute) : List.of(absolute);
            for (Path file : files) {
                BasicFileAttributes attributes =
                        Files.readAttributes(file, BasicFileAttributes.class);
                stamp.add(List.of(file.toString(), attributes.size(), attributes.lastModifiedTime().toString(),
                        String.valueOf(attributes.fileKey())));
                if (attributes.size() <= SMALL_FILE) { // the clock behind the time may be coarse: a quick rewrite keeps it
                    CRC32 crc = new CRC32();
                    crc.update(Files.readAllBytes(file));
                    stamp.add(crc.getValue());
                }
            }
            return List.copyOf(stamp);
        } catch (IOException e) {
            return null; // read it anyway, uncached: the loader reports the problem
        }
    }

    /** The channel files of a directory: its regular {@code *.yaml}, {@code *.yml} and {@code *.json} files, in name order. */
    private static List<Path> filesOf(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(f -> {
                String name = f.getFileName().toString();
                return (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) && Files.isRegularFile(f);
            }).sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
        }
    }

    private static Reader open(Path file) throws IOException {
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    private static Read readLoneFile(Path file) {
        try {
            ConfigLoader loader = readFile(file.toString(), syntax(file), () -> open(file), Map.of(), false);
            FileSettings settings = loader.settings();
            List<Part> parts = List.of(new Part(file, loader.root));
            return loader.problems.isEmpty()
                    ? new Read(settings.config(), null, parts, null)
                    : new Read(null, loader.failure(), parts, null);
        } catch (ConfigException unreadable) {
            return new Read(null, unreadable, List.of(), unreadable);
        }
    }

    /** Top-level keys that at most one file of a directory may set. */
    private static final List<String> ONE_FILE_KEYS =
            List.of("allowedLateness", "silentAfter", "maxJump", "notify", "api", "silences", "kafka", "signing");

    /**
     * The files of a directory as one configuration: their channels form one set (an id used twice, in one file
     * or two, is a problem), each file's {@code defaults} apply to that file's channels only, and every other
     * top-level key may be set in one file only. Problems are listed file by file, in name order.
     */
    private static Read readDirectory(Path dir) {
        List<Path> files;
        try {
            files = filesOf(dir);
        } catch (IOException e) {
            ConfigException unreadable = new ConfigException(List.of(new ConfigProblem(dir.toString(), 0, 0, "", cannotRead(e))));
            return new Read(null, unreadable, List.of(), unreadable);
        }
        List<ConfigProblem> problems = new ArrayList<>();
        List<ConfigProblem> unreadable = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        Map<String, IdAt> ids = new HashMap<>();
        Map<String, Entry> ownerEntries = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        List<Channel> channels = new ArrayList<>();
        Duration allowedLateness = null;
        Duration silentAfter = null;
        Duration maxJump = null;
        for (Path file : files) {
            String source = file.toString();
            ConfigLoader loader;
            try {
                loader = readFile(source, syntax(file), () -> open(file), ids, true);
            } catch (ConfigException e) {
                unreadable.addAll(e.problems());
                problems.addAll(e.problems());
                continue;
            }
            parts.add(new Part(file, loader.root));
            FileSettings settings = loader.settings();
            if (loader.root instanceof Mapping top) {
                Set<String> seenHere = new HashSet<>();
                for (Entry entry : top.entries()) {
                    String key = entry.key();
                    if (!ONE_FILE_KEYS.contains(key) || !seenHere.add(key)) {
                        continue; // a key repeated in one file is that file's problem, reported already
                    }
                    String owner = owners.putIfAbsent(key, source);
                    if (owner != null) {
                        loader.problem(entry, key, "'" + key + "' is set in " + owner + ":" + ownerEntries.get(key).line()
                                + " too; in a directory of channel files, each top-level setting other than channels and "
                                + "defaults belongs in one file");
                    } else {
                        ownerEntries.put(key, entry);
                    }
                }
            }
            for (Map.Entry<String, Integer> id : loader.idLines.entrySet()) {
                ids.putIfAbsent(id.getKey(), new IdAt(source, id.getValue()));
            }
            channels.addAll(settings.channels());
            allowedLateness = allowedLateness == null ? settings.allowedLateness() : allowedLateness;
            silentAfter = silentAfter == null ? settings.silentAfter() : silentAfter;
            maxJump = maxJump == null ? settings.maxJump() : maxJump;
            if (!loader.problems.isEmpty()) {
                problems.addAll(loader.failure().problems());
            }
        }
        if (files.isEmpty()) {
            problems.add(new ConfigProblem(dir.toString(), 0, 0, "",
                    "no channel files: the directory has no *.yaml, *.yml or *.json file"));
        } else if (problems.isEmpty() && channels.isEmpty()) {
            problems.add(new ConfigProblem(dir.toString(), 0, 0, "channels",
                    "no channels: none of the directory's files lists any"));
        }
        ConfigException unreadableFailure = unreadable.isEmpty() ? null : new ConfigException(unreadable);
        if (!problems.isEmpty()) {
            return new Read(null, new ConfigException(problems), List.copyOf(parts), unreadableFailure);
        }
        return new Read(new MonitorConfig(channels, allowedLateness, silentAfter, maxJump), null, List.copyOf(parts), null);
    }

    /**
     * Reads one file: once, or twice when its first {@code defaults} comes after {@code channels} (the first pass
     * converted the channels with the built-in defaults; the second converts them with the file's). The returned
     * loader holds the file's top level, its streamed channels and its problems so far; {@link #settings()} finishes.
     *
     * @throws ConfigException when the file cannot be read or is not valid YAML
     */
    private static ConfigLoader readFile(String source, YamlTree.Syntax syntax, YamlTree.Source opener,
                                         Map<String, IdAt> earlierIds, boolean inDirectory) throws ConfigException {
        ConfigLoader first = pass(source, syntax, opener, earlierIds, inDirectory, null);
        if (first.listStreamed && !first.defaultsBeforeList && section(first.root, "defaults") != null) {
            return pass(source, syntax, opener, earlierIds, inDirectory, section(first.root, "defaults"));
        }
        return first;
    }

    /** A {@code .json} file is read by the JSON parser; anything else as YAML. */
    private static YamlTree.Syntax syntax(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(".json")
                ? YamlTree.Syntax.JSON
                : YamlTree.Syntax.YAML;
    }

    private static ConfigLoader pass(String source, YamlTree.Syntax syntax, YamlTree.Source opener,
                                     Map<String, IdAt> earlierIds, boolean inDirectory, Entry presetDefaults)
            throws ConfigException {
        ConfigLoader loader = new ConfigLoader(source, earlierIds, inDirectory, presetDefaults);
        ChannelSink sink = loader.new ChannelSink();
        try {
            loader.root = YamlTree.read(syntax, opener, "channels", sink);
            sink.finish();
            return loader;
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(List.of(new ConfigProblem(source, e.line, e.column, "", e.getMessage())));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(source, 0, 0, "", cannotRead(e))));
        } finally {
            sink.abandon(); // after finish, nothing to do; after a failure, stops the converting thread
        }
    }

    /** Items of a long channels list are converted in batches of this many, on a second thread. */
    static final int CONVERT_BATCH = 1024;
    /** Converted batches the parsing thread may run ahead by. */
    private static final int BATCHES_AHEAD = 8;

    /**
     * Converts each item of the top-level {@code channels} list as it is read, with the defaults known by then.
     *
     * <p>A list of up to {@link #CONVERT_BATCH} items is converted on the parsing thread when it ends. A longer
     * one is converted on a second thread, batch by batch, while the parser reads on (the machine's second core
     * does half of a large file's work). One thread converts every item, in list order, and the parsing thread
     * touches none of the loader's state until {@link #finish} has waited for it: the channels, the problems
     * and the first line of each id are exactly what converting on the parsing thread gives.
     */
    private final class ChannelSink implements YamlTree.ListSink {
        private Defaults defaults;
        private Node[] batch = new Node[CONVERT_BATCH];
        private int batchStart;
        private int batchSize;
        private Converter converter;

        @Override
        public void start(List<Entry> before) {
            listStreamed = true;
            Entry seen = before.stream().filter(e -> e.key().equals("defaults")).findFirst().orElse(null);
            defaultsBeforeList = seen != null;
            // A scratch loader: problems of the defaults themselves are reported once, by settings(), from the tree.
            defaults = new ConfigLoader(source).defaults(presetDefaults != null ? presetDefaults : seen);
        }

        @Override
        public void item(Node item, int index) {
            streamedCount++;
            batch[batchSize++] = item;
            if (batchSize == batch.length) {
                if (converter == null) {
                    converter = new Converter(defaults);
                }
                converter.put(new Batch(batch, batchStart, batchSize));
                batch = new Node[CONVERT_BATCH];
                batchStart += batchSize;
                batchSize = 0;
            }
        }

        /** The list was read to its end: converts what is left and waits for every item's conversion. */
        void finish() {
            Batch last = new Batch(batch, batchStart, batchSize);
            batch = null;
            if (converter == null) {
                convert(last, defaults);
                return;
            }
            converter.put(last);
            converter.finish();
        }

        /** Reading failed: stops the second thread, if any, without waiting for its conversions. */
        void abandon() {
            if (converter != null) {
                converter.abandon();
            }
        }
    }

    /** Items {@code [0, size)} of {@code items}, which are the list's items from index {@code start}. */
    private record Batch(Node[] items, int start, int size) {
    }

    private void convert(Batch batch, Defaults defaults) {
        for (int i = 0; i < batch.size(); i++) {
            Channel channel = channel(batch.items()[i], "channels[" + (batch.start() + i) + "]", defaults, idLines);
            if (channel != null) {
                streamedChannels.add(channel);
            }
        }
    }

    /**
     * The second thread of a long channels list: converts batches in the order they are put. Until {@link #finish}
     * returns, it alone touches the loader's channels, problems and ids; the thread's end is what publishes them.
     */
    private final class Converter {
        private static final Batch END = new Batch(new Node[0], 0, 0);

        private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private final Thread thread;
        private volatile boolean abandoned;
        private Throwable failure; // read after join

        Converter(Defaults defaults) {
            thread = new Thread(() -> run(defaults), "channel-file-converter");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(Defaults defaults) {
            for (Batch batch = takeBatch(); batch != END; batch = takeBatch()) {
                if (failure == null && !abandoned) {
                    try {
                        convert(batch, defaults);
                    } catch (RuntimeException | Error e) { // a bug: rethrown on the parsing thread by finish()
                        failure = e;
                    }
                }
            }
        }

        private Batch takeBatch() {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    // Nobody else interrupts this thread; END always comes (finish or abandon put it).
                }
            }
        }

        void put(Batch batch) {
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(batch);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the batch must go in; the caller sees its interrupt afterwards
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for every batch put so far; rethrows what the conversion threw. */
        void finish() {
            put(END);
            join();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }

        void abandon() {
            if (thread.isAlive()) {
                abandoned = true;
                put(END);
                join();
            }
        }

        private void join() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The section {@code key} of a configuration file or directory, from this process's one read of it.
     *
     * @throws ConfigException when a file cannot be read or parsed
     */
    static Section section(Path fileOrDirectory, String key) throws ConfigException {
        Read read = read(fileOrDirectory);
        if (read.unreadable() != null) {
            throw read.unreadable();
        }
        for (Part part : read.parts()) {
            Entry entry = section(part.top(), key);
            if (entry != null) {
                return new Section(part.file().toString(), part.file().toAbsolutePath().getParent(), entry);
            }
        }
        Path absolute = fileOrDirectory.toAbsolutePath();
        return new Section(fileOrDirectory.toString(), Files.isDirectory(absolute) ? absolute : absolute.getParent(), null);
    }

    /** The YAML tree of a document from a reader it does not close; problems name {@code sourceName}. */
    static Node readTree(String sourceName, Reader yaml) throws ConfigException {
        try {
            return YamlTree.read(yaml);
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(List.of(new ConfigProblem(sourceName, e.line, e.column, "", e.getMessage())));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(sourceName, 0, 0, "", cannotRead(e))));
        }
    }

    /**
     * The top-level entry {@code key} of a tree, or {@code null} when there is none or the tree is not a mapping
     * (problems the channel loader reports; a repeated key too).
     */
    static Entry section(Node root, String key) {
        if (root instanceof Mapping top) {
            for (Entry entry : top.entries()) {
                if (entry.key().equals(key)) {
                    return entry;
                }
            }
        }
        return null;
    }

    private static String cannotRead(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8 text";
        }
        return "cannot read: " + e;
    }

    // ---- the document ----

    /** One file's settings and channels; meaningful only when the loader found no problem. */
    private record FileSettings(List<Channel> channels, Duration allowedLateness, Duration silentAfter, Duration maxJump) {
        MonitorConfig config() {
            return new MonitorConfig(channels, allowedLateness, silentAfter, maxJump);
        }
    }

    /** Checks the top level of the file just read (its channels were converted while it was read). */
    private FileSettings settings() {
        if (root == null || isNull(root)) {
            problems.add(new ConfigProblem(source, 1, 1, "", inDirectory
                    ? "the file is empty; list channels or settings in it, or remove it"
                    : "the file is empty; it must list channels"));
            return new FileSettings(List.of(), null, null, null);
        }
        if (!(root instanceof Mapping top)) {
            problem(root, "", "expected a mapping with 'channels' at the top, was " + describe(root));
            return new FileSettings(List.of(), null, null, null);
        }
        Map<String, Entry> keys = keys(top, "", TOP_KEYS, NOT_AT_TOP);
        Defaults defaults = defaults(keys.get("defaults"));
        Duration allowedLateness = allowedLateness(keys.get("allowedLateness"));
        Duration silentAfter = silentAfter(keys.get("silentAfter"));
        Duration maxJump = maxJump(keys.get("maxJump"));
        List<Channel> channels = channels(top, keys.get("channels"), defaults);
        return new FileSettings(channels, allowedLateness, silentAfter, maxJump);
    }

    private ConfigException failure() {
        List<ConfigProblem> inFileOrder = new ArrayList<>(problems);
        inFileOrder.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return new ConfigException(inFileOrder);
    }

    /**
     * The settings a channel falls back to. A {@code null} answerWithin or downAfter, or a {@code null} zone
     * that was given, is a broken default: it is reported once, not again for every channel that uses it.
     */
    private record Defaults(Duration answerWithin, Integer downAfter, ZoneId zone, boolean zoneGiven) {
    }

    private Defaults defaults(Entry entry) {
        if (entry == null || isNull(entry.value())) { // "defaults:" with every line commented out is fine
            return new Defaults(DEFAULT_ANSWER_WITHIN, DEFAULT_DOWN_AFTER, null, false);
        }
        if (!(entry.value() instanceof Mapping mapping)) {
            problem(entry.value(), "defaults",
                    "expected a mapping of default settings, was " + describe(entry.value()));
            return new Defaults(null, null, null, true);
        }
        Map<String, Entry> keys = keys(mapping, "defaults", DEFAULTS_KEYS, NOT_IN_DEFAULTS);
        Entry answerWithin = keys.get("answerWithin");
        Entry downAfter = keys.get("downAfter");
        Entry zone = keys.get("zone");
        return new Defaults(
                answerWithin == null ? DEFAULT_ANSWER_WITHIN : answerWithin(answerWithin, "defaults.answerWithin"),
                downAfter == null ? Integer.valueOf(DEFAULT_DOWN_AFTER) : downAfter(downAfter, "defaults.downAfter"),
                zone == null ? null : zone(zone, "defaults.zone"),
                zone != null);
    }

    private Duration allowedLateness(Entry entry) {
        if (entry == null) {
            return null;
        }
        Duration lateness = duration(entry, "allowedLateness", "PT5M");
        if (lateness != null && lateness.isNegative()) {
            problem(entry.value(), "allowedLateness", "allowedLateness must not be negative, was " + lateness);
            return null;
        }
        return lateness;
    }

    private Duration maxJump(Entry entry) {
        if (entry == null) {
            return null;
        }
        Duration jump = duration(entry, "maxJump", "P1D");
        if (jump != null && (jump.isNegative() || jump.isZero())) {
            problem(entry.value(), "maxJump", "maxJump must be positive, was " + jump);
            return null;
        }
        return jump;
    }

    private List<Channel> channels(Mapping top, Entry entry, Defaults defaults) {
        List<Channel> channels = new ArrayList<>();
        if (entry == null) {
            if (!inDirectory) { // a file of a directory may hold settings only
                problem(top, "channels", "missing; the file must list at least one channel");
            }
            return channels;
        }
        if (listStreamed && entry.value() instanceof Sequence list) { // the first channels entry, read as streamed
            if (streamedCount == 0) {
                problem(list, "channels", "no channels listed; add at least one");
            }
            return streamedChannels;
        }
        if (!(entry.value() instanceof Sequence list)) {
            problem(entry.value(), "channels", isNull(entry.value())
                    ? "no channels listed; add at least one"
                    : "expected a list of channels, was " + describe(entry.value()));
            return channels;
        }
        if (list.items().isEmpty()) {
            problem(list, "channels", "no channels listed; add at least one");
            return channels;
        }
        for (int i = 0; i < list.items().size(); i++) {
            Channel channel = channel(list.items().get(i), "channels[" + i + "]", defaults, idLines);
            if (channel != null) {
                channels.add(channel);
            }
        }
        return channels;
    }

    // ---- one channel ----

    /** The channel, or {@code null} when anything about it is wrong (and reported). */
    private Channel channel(Node node, String path, Defaults defaults, Map<String, Integer> idLines) {
        if (!(node instanceof Mapping mapping)) {
            problem(node, path, "expected a channel (a mapping with id, zone, checks...), was " + describe(node));
            return null;
        }
        int problemsBefore = problems.size();
        Map<String, Entry> keys = keys(mapping, path, CHANNEL_KEYS, NOT_IN_CHANNEL);

        String id = id(keys.get("id"), mapping, path, idLines);
        Entry nameEntry = keys.get("name");
        String name = nameEntry == null ? null : string(nameEntry.value(), path + ".name", "a name");

        Entry zoneEntry = keys.get("zone");
        ZoneId zone;
        if (zoneEntry != null) {
            zone = zone(zoneEntry, path + ".zone");
        } else {
            zone = defaults.zone();
            if (!defaults.zoneGiven()) {
                problem(mapping, path + ".zone", "missing; set zone on the channel or in defaults");
            }
        }

        Entry answerEntry = keys.get("answerWithin");
        Duration answerWithin = answerEntry == null
                ? defaults.answerWithin()
                : answerWithin(answerEntry, path + ".answerWithin");
        Entry downEntry = keys.get("downAfter");
        Integer downAfter = downEntry == null ? defaults.downAfter() : downAfter(downEntry, path + ".downAfter");

        Schedule schedule = schedule(keys, mapping, path, zone);

        // A broken default leaves a null here without a problem of this channel's own (see Defaults).
        if (problems.size() > problemsBefore || id == null || schedule == null || answerWithin == null
                || downAfter == null) {
            return null;
        }
        try {
            return new Channel(id, name, schedule, answerWithin, downAfter);
        } catch (IllegalArgumentException e) { // every rule is checked above; this keeps a gap from escaping
            problem(mapping, path, e.getMessage());
            return null;
        }
    }

    private Duration silentAfter(Entry entry) {
        if (entry == null) {
            return null;
        }
        Duration d = duration(entry, "silentAfter", "PT1M");
        if (d != null && (d.isNegative() || d.isZero())) {
            problem(entry.value(), "silentAfter", "silentAfter must be positive, was " + d
                    + " (leave it out to turn the our-side silence rule off)");
            return null;
        }
        return d;
    }

    private String id(Entry entry, Mapping channel, String path, Map<String, Integer> idLines) {
        String field = path + ".id";
        if (entry == null) {
            problem(channel, field, "missing; every channel needs an id");
            return null;
        }
        String id = string(entry.value(), field, "an id");
        if (id == null) {
            return null;
        }
        if (!Channel.isValidId(id)) {
            problem(entry.value(), field, "bad id '" + id + "': use 1 to 64 of a-z, 0-9, '.', '_' and '-'");
            return null;
        }
        if (id.equals(Channel.OUR_SIDE)) {
            problem(entry.value(), field, "the id '" + id + "' is reserved for alerts about our own side; choose another");
            return null;
        }
        Integer firstLine = idLines.putIfAbsent(id, entry.value().line());
        if (firstLine != null) {
            problem(entry.value(), field, "duplicate id '" + id + "', first used at line " + firstLine);
            return null;
        }
        IdAt earlier = earlierIds.get(id);
        if (earlier != null) {
            problem(entry.value(), field, "duplicate id '" + id + "', first used at " + earlier.source() + ":" + earlier.line());
            return null;
        }
        return id;
    }

    /**
     * The schedule from {@code cron}, or from {@code checks} and {@code days}; {@code null} when something is
     * wrong. Checks what it can even when the zone is unknown, so that one run reports everything.
     */
    private Schedule schedule(Map<String, Entry> keys, Mapping channel, String path, ZoneId zone) {
        Entry cron = keys.get("cron");
        Entry checks = keys.get("checks");
        Entry days = keys.get("days");
        if (cron != null) {
            if (checks != null) {
                problem(cron, path + ".cron", "cannot be combined with checks; use either checks (and days) or cron");
            }
            if (days != null) {
                problem(days, path + ".days", "cannot be combined with cron; put the days in the cron expression");
            }
            String expression = string(cron.value(), path + ".cron", "a cron expression like \"0 9 * * *\"");
            if (expression == null) {
                return null;
            }
            try {
                Schedule schedule = Cron.parse(expression, zone == null ? ZoneOffset.UTC : zone);
                return zone == null ? null : schedule;
            } catch (IllegalArgumentException e) {
                problem(cron.value(), path + ".cron", e.getMessage());
                return null;
            }
        }
        if (checks == null) {
            if (days != null) {
                problem(channel, path + ".checks", "missing; days needs check times");
            } else {
                problem(channel, path, "no schedule: give checks (and optionally days) or cron");
            }
            return null;
        }
        TreeSet<LocalTime> times = checkTimes(checks.value(), path + ".checks");
        Set<DayOfWeek> weekdays = days == null ? EnumSet.allOf(DayOfWeek.class) : days(days.value(), path + ".days");
        if (times == null || weekdays == null || zone == null) {
            return null;
        }
        List<Object> key = List.of(zone, times, weekdays);
        Schedule known = schedules.get(key);
        if (known == null) {
            known = schedule(zone, times, weekdays);
            schedules.put(key, known);
        }
        return known;
    }

    /** The schedule of check times on weekdays (interned by {@link Schedule#of}). */
    private static Schedule schedule(ZoneId zone, TreeSet<LocalTime> times, Set<DayOfWeek> weekdays) {
        String timesText = times.stream().map(LocalTime::toString).collect(Collectors.joining(","));
        if (weekdays.size() == 7) {
            return Schedule.of(zone, times, DayRule.everyDay(), "checks " + timesText + " every day");
        }
        return Schedule.of(zone, times, DayRule.daysOfWeek(weekdays),
                "checks " + timesText + " on " + daysText(weekdays));
    }

    private TreeSet<LocalTime> checkTimes(Node node, String path) {
        if (!(node instanceof Sequence list)) {
            problem(node, path, "expected a list of check times like ['09:00', '17:00'], was " + describe(node));
            return null;
        }
        if (list.items().isEmpty()) {
            problem(list, path, "no check times listed; add at least one, like ['09:00']");
            return null;
        }
        TreeSet<LocalTime> times = new TreeSet<>();
        boolean ok = true;
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String text = text(item);
            if (text == null) {
                string(item, path + "[" + i + "]", "a check time HH:mm");
                ok = false;
                continue;
            }
            LocalTime time = checkTime(text);
            if (time == null) {
                problem(item, path + "[" + i + "]",
                        "bad check time '" + text + "', expected HH:mm or HH:mm:ss from 00:00 to 23:59:59");
                ok = false;
                continue;
            }
            if (!times.add(time)) {
                problem(item, path + "[" + i + "]", "duplicate check time " + time);
                ok = false;
            }
        }
        return ok ? times : null;
    }

    /**
     * The time of {@code text} if it matches {@link #CHECK_TIME} (HH:mm or HH:mm:ss, 00:00 to 23:59:59), else
     * {@code null}: the pattern's rule by hand, as it runs for every check time of every channel.
     */
    static LocalTime checkTime(String text) {
        int n = text.length();
        if (n != 5 && n != 8 || text.charAt(2) != ':' || n == 8 && text.charAt(5) != ':') {
            return null;
        }
        int h0 = digit(text.charAt(0));
        int h1 = digit(text.charAt(1));
        int m0 = digit(text.charAt(3));
        int m1 = digit(text.charAt(4));
        int s0 = n == 8 ? digit(text.charAt(6)) : 0;
        int s1 = n == 8 ? digit(text.charAt(7)) : 0;
        if (h0 < 0 || h1 < 0 || m0 < 0 || m1 < 0 || s0 < 0 || s1 < 0 || h0 > 2 || h0 == 2 && h1 > 3 || m0 > 5 || s0 > 5) {
            return null;
        }
        return LocalTime.of(h0 * 10 + h1, m0 * 10 + m1, s0 * 10 + s1);
    }

    /** An ASCII digit's value, or -1 (the pattern's {@code [0-9]}). */
    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    private Set<DayOfWeek> days(Node node, String path) {
        if (!(node instanceof Sequence list)) {
            problem(node, path, "expected a list of days like [MON-FRI] or [MON, WED], was " + describe(node));
            return null;
        }
        if (list.items().isEmpty()) {
            problem(list, path, "no days listed; add at least one, or leave days out for every day");
            return null;
        }
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        boolean ok = true;
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String text = text(item);
            if (text == null) {
                string(item, path + "[" + i + "]", "a day like MON or a range like MON-FRI");
            }
            List<DayOfWeek> itemDays = text == null ? null : dayItem(item, path, i, text);
            if (itemDays == null) {
                ok = false;
                continue;
            }
            for (DayOfWeek day : itemDays) {
                if (!days.add(day)) {
                    problem(item, path + "[" + i + "]", "day " + abbreviation(day) + " is listed more than once");
                    ok = false;
                    break;
                }
            }
        }
        return ok ? days : null;
    }

    /** The days of one item of {@code days}: a day, or a range within MON..SUN. */
    private List<DayOfWeek> dayItem(Node item, String path, int index, String text) {
        DayOfWeek single = DAY_NAMES.get(text);
        if (single != null) { // MON: the usual item, without splitting it
            return List.of(single);
        }
        String field = path + "[" + index + "]";
        String[] ends = text.split("-", -1);
        if (ends.length > 2) {
            problem(item, field, "bad day range '" + text + "', expected a range like MON-FRI");
            return null;
        }
        DayOfWeek first = dayName(ends[0]);
        DayOfWeek last = ends.length == 2 ? dayName(ends[1]) : first;
        if (first == null || last == null) {
            String bad = first == null ? ends[0].strip() : ends[1].strip();
            problem(item, field, "unknown day '" + bad + "', expected MON..SUN or MONDAY..SUNDAY");
            return null;
        }
        if (first.compareTo(last) > 0) {
            problem(item, field, "day range '" + text + "' runs backwards; weeks run MON..SUN, so write it as "
                    + abbreviation(first) + "-SUN, MON" + (last == DayOfWeek.MONDAY ? "" : "-" + abbreviation(last)));
            return null;
        }
        List<DayOfWeek> days = new ArrayList<>();
        for (DayOfWeek d = first; ; d = d.plus(1)) {
            days.add(d);
            if (d == last) {
                return days;
            }
        }
    }

    /** MONDAY and MON to Monday, and so on: built once, as dayName runs for every day item of every channel. */
    private static final Map<String, DayOfWeek> DAY_NAMES = dayNames();

    private static Map<String, DayOfWeek> dayNames() {
        Map<String, DayOfWeek> names = new HashMap<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            names.put(day.name(), day);
            names.put(abbreviation(day), day);
        }
        return Map.copyOf(names);
    }

    private static DayOfWeek dayName(String text) {
        return DAY_NAMES.get(text.strip().toUpperCase(Locale.ROOT));
    }

    /** MON for Monday, and so on: how the configuration writes days. */
    static String abbreviation(DayOfWeek day) {
        return day.name().substring(0, 3);
    }

    /** Days as runs: MON-FRI, or MON,WED,FRI, or SAT,SUN; a run of three or more becomes a range. */
    private static String daysText(Set<DayOfWeek> days) {
        List<String> parts = new ArrayList<>();
        DayOfWeek[] all = DayOfWeek.values();
        int i = 0;
        while (i < all.length) {
            if (!days.contains(all[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < all.length && days.contains(all[j + 1])) {
                j++;
            }
            if (j - i >= 2) {
                parts.add(abbreviation(all[i]) + "-" + abbreviation(all[j]));
            } else {
                for (int k = i; k <= j; k++) {
                    parts.add(abbreviation(all[k]));
                }
            }
            i = j + 1;
        }
        return String.join(",", parts);
    }

    // ---- values ----

    private ZoneId zone(Entry entry, String path) {
        String text = string(entry.value(), path, "a time zone like Asia/Seoul");
        if (text == null) {
            return null;
        }
        ZoneId known = zones.get(text);
        if (known != null) {
            return known;
        }
        if (!KNOWN_ZONES.contains(text)) {
            String suggestion = didYouMean(text, KNOWN_ZONES);
            problem(entry.value(), path, "unknown time zone '" + text + "'"
                    + (suggestion.isEmpty() ? "; use an IANA zone id like Asia/Seoul" : suggestion));
            return null;
        }
        ZoneId zone = ZoneId.of(text);
        zones.put(text, zone);
        return zone;
    }

    private Duration answerWithin(Entry entry, String path) {
        Duration window = duration(entry, path, "PT1H");
        if (window != null && (window.isNegative() || window.isZero())) {
            problem(entry.value(), path, "answerWithin must be positive, was " + window);
            return null;
        }
        if (window != null && window.compareTo(Channel.MAX_ANSWER_WITHIN) > 0) {
            String given = entry.value() instanceof Scalar scalar ? scalar.text() : window.toString();
            problem(entry.value(), path, "answerWithin must be more than zero and at most P1D (" + Channel.MAX_ANSWER_WITHIN
                    + ": the scheduler reads a day back when it restarts), was " + given);
            return null;
        }
        return window;
    }

    private Duration duration(Entry entry, String path, String example) {
        String text = string(entry.value(), path, "an ISO-8601 duration like " + example);
        if (text == null) {
            return null;
        }
        Duration known = durations.get(text);
        if (known != null) {
            return known;
        }
        try {
            Duration parsed = Duration.parse(text);
            durations.put(text, parsed);
            return parsed;
        } catch (DateTimeParseException e) {
            problem(entry.value(), path, "bad duration '" + text + "', expected ISO-8601 like " + example
                    + " (PT30M, PT1H30M, P1D)");
            return null;
        }
    }

    private Integer downAfter(Entry entry, String path) {
        Node value = entry.value();
        if (!(value instanceof Scalar scalar) || scalar.kind() != ScalarKind.INTEGER) {
            problem(value, path, "downAfter must be a whole number, was " + describe(value));
            return null;
        }
        if (scalar.integer().signum() <= 0) {
            problem(value, path, "downAfter must be at least 1, was " + scalar.integer());
            return null;
        }
        if (scalar.integer().bitLength() > 31) {
            problem(value, path, "downAfter is too large: " + scalar.integer());
            return null;
        }
        return scalar.integer().intValueExact();
    }

    /**
     * The text of a scalar as written; numbers and YAML 1.1 booleans are text too (an id of 2024, a name
     * of NO). {@code null}, with a problem, for anything else.
     */
    private String string(Node node, String path, String expected) {
        String text = text(node);
        if (text == null) {
            problem(node, path, "expected " + expected + ", was " + describe(node));
        }
        return text;
    }

    /** {@link #string}'s text, or {@code null} (and no problem yet) when the node is no such scalar. */
    private static String text(Node node) {
        return node instanceof Scalar scalar && scalar.kind() != ScalarKind.NULL && scalar.kind() != ScalarKind.ALIAS
                ? scalar.text()
                : null;
    }

    // ---- keys ----

    /**
     * The entries of a mapping by key, first occurrence of each; reports unknown and repeated keys.
     *
     * @param misplaced keys that are valid elsewhere, with a hint saying where
     */
    private Map<String, Entry> keys(Mapping mapping, String path, List<String> allowed, Map<String, String> misplaced) {
        Map<String, Entry> keys = new LinkedHashMap<>();
        for (Entry entry : mapping.entries()) {
            String key = entry.key();
            if (!allowed.contains(key)) {
                String field = field(path, key);
                String message;
                if (key.equals("<<")) {
                    message = "YAML merge keys (<<) are not supported; use defaults";
                } else if (misplaced.containsKey(key)) {
                    message = "'" + key + "' " + misplaced.get(key);
                } else {
                    String suggestion = didYouMean(key, allowed);
                    message = "unknown key '" + key + "'" + (suggestion.isEmpty()
                            ? "; expected one of " + String.join(", ", allowed)
                            : suggestion);
                }
                problem(entry, field, message);
            } else if (keys.containsKey(key)) {
                problem(entry, field(path, key), "duplicate key '" + key + "', first at line " + keys.get(key).line());
            } else {
                keys.put(key, entry);
            }
        }
        return keys;
    }

    private static String field(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Map<String, String> hints(String hint, String... keys) {
        Map<String, String> hints = new HashMap<>();
        for (String key : keys) {
            hints.put(key, hint);
        }
        return Map.copyOf(hints);
    }

    /** {@code " (did you mean 'x'?)"} for the closest candidate within two edits, ignoring case; else "". */
    static String didYouMean(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits turn most three-letter words into each other: require the word to be longer than that.
        return best != null && bestDistance <= Math.min(2, lower.length() / 3)
                ? " (did you mean '" + best + "'?)"
                : "";
    }

    /** Levenshtein distance. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    // ---- problems ----

    private void problem(Node node, String field, String message) {
        problems.add(new ConfigProblem(source, node.line(), node.column(), field, message));
    }

    private void problem(Entry entry, String field, String message) {
        problems.add(new ConfigProblem(source, entry.line(), entry.column(), field, message));
    }

    static boolean isNull(Node node) {
        return node instanceof Scalar scalar && scalar.kind() == ScalarKind.NULL;
    }

    /** A node for "expected X, was ...". */
    static String describe(Node node) {
        if (node instanceof Mapping) {
            return "a mapping";
        }
        if (node instanceof Sequence) {
            return "a list";
        }
        Scalar scalar = (Scalar) node;
        return switch (scalar.kind()) {
            case STRING -> "'" + scalar.text() + "'";
            case INTEGER, DECIMAL, BOOLEAN -> scalar.text();
            case NULL -> "empty";
            case ALIAS -> "an alias (*" + scalar.text() + "); YAML aliases are not supported";
        };
    }
}
