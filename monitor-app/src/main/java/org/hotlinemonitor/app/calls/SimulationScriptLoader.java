package org.hotlinemonitor.app.calls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.config.ConfigProblem;
import org.hotlinemonitor.core.model.EventKind;

/**
 * Reads a {@link SimulationScript} from YAML (format in docs/producers.md):
 *
 * <pre>
 * seed: 7
 * answerDelay: {min: PT5S, max: PT1M}
 * noAnswerRate: 0.0
 * ringFor: PT1M
 * faultAfter: PT5S
 * disruptions:
 *   - channels: [liaison-office, east-coast-military]   # optional: every channel
 *     from: 2023-04-07T08:00:00Z
 *     until: 2023-04-11T00:00:00Z                        # optional: open-ended
 *     outcome: NO_ANSWER                                 # or LINE_FAULT
 *     note: the North does not answer
 * </pre>
 *
 * Every key is optional and defaults to {@link SimulationScript#DEFAULT}'s value. Unknown keys, bad
 * values and channels that are not configured are errors, all reported together, one
 * {@link ConfigProblem} each, named by their path ({@code disruptions[1].until}); the tree parser does not
 * keep line numbers, so problems other than YAML syntax errors carry none.
 */
public final class SimulationScriptLoader {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> TOP = Set.of("seed", "answerDelay", "noAnswerRate", "ringFor", "faultAfter", "disruptions");
    private static final Set<String> DELAY = Set.of("min", "max");
    private static final Set<String> DISRUPTION = Set.of("channels", "from", "until", "outcome", "note");

    private final String source;
    private final Set<String> knownChannels;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private SimulationScriptLoader(String source, Set<String> knownChannels) {
        this.source = source;
        this.knownChannels = knownChannels;
    }

    /**
     * Reads a UTF-8 script file.
     *
     * @param knownChannels the configured channel ids; a disruption naming another is an error
     * @throws ConfigException with every problem found
     */
    public static SimulationScript load(Path file, Set<String> knownChannels) throws ConfigException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(file.toString(), in, knownChannels);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "", "cannot read: " + e)));
        }
    }

    /** Reads a script; does not close {@code yaml}. */
    public static SimulationScript load(String sourceName, Reader yaml, Set<String> knownChannels) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            int column = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getColumnNr());
            throw new ConfigException(List.of(new ConfigProblem(sourceName, line, column, "", "not valid YAML: " + oneLine(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(sourceName, 0, 0, "", "cannot read: " + e)));
        }
        return new SimulationScriptLoader(sourceName, knownChannels).script(root);
    }

    private SimulationScript script(JsonNode root) throws ConfigException {
        SimulationScript d = SimulationScript.DEFAULT;
        if (root == null || root.isMissingNode() || root.isNull()) {
            return d;
        }
        if (!root.isObject()) {
            problem("", "expected a mapping of settings");
            throw new ConfigException(problems);
        }
        unknownKeys(root, TOP, "");
        long seed = d.seed();
        JsonNode n = root.get("seed");
        if (n != null) {
            if (n.isIntegralNumber() && n.canConvertToLong()) {
                seed = n.asLong();
            } else {
                problem("seed", "expected an integer, was " + n);
            }
        }
        Duration min = d.answerDelayMin();
        Duration max = d.answerDelayMax();
        JsonNode delay = root.get("answerDelay");
        if (delay != null) {
            if (delay.isObject()) {
                unknownKeys(delay, DELAY, "answerDelay.");
                min = duration(delay.get("min"), "answerDelay.min", min, false);
                max = duration(delay.get("max"), "answerDelay.max", max, false);
                if (max.compareTo(min) < 0) {
                    problem("answerDelay.max", "must be at least answerDelay.min (" + min + "), was " + max);
                    max = min;
                }
            } else {
                problem("answerDelay", "expected a mapping with min and max, was " + delay);
            }
        }
        double rate = d.noAnswerRate();
        n = root.get("noAnswerRate");
        if (n != null) {
            if (n.isNumber() && n.asDouble() >= 0 && n.asDouble() <= 1) {
                rate = n.asDouble();
            } else {
                problem("noAnswerRate", "expected a number between 0 and 1, was " + n);
            }
        }
        Duration ringFor = duration(root.get("ringFor"), "ringFor", d.ringFor(), true);
        Duration faultAfter = duration(root.get("faultAfter"), "faultAfter", d.faultAfter(), false);
        List<SimulationScript.Disruption> disruptions = new ArrayList<>();
        JsonNode list = root.get("disruptions");
        if (list != null && !list.isNull()) {
            if (list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    SimulationScript.Disruption x = disruption(list.get(i), "disruptions[" + i + "]");
                    if (x != null) {
                        disruptions.add(x);
                    }
                }
            } else {
                problem("disruptions", "expected a list, was " + list);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SimulationScript(seed, min, max, rate, ringFor, faultAfter, disruptions);
    }

    private SimulationScript.Disruption disruption(JsonNode node, String path) {
        if (!node.isObject()) {
            problem(path, "expected a mapping with from, until, outcome, channels, note; was " + node);
            return null;
        }
        int before = problems.size();
        unknownKeys(node, DISRUPTION, path + ".");
        Set<String> channels = new LinkedHashSet<>();
        JsonNode ch = node.get("channels");
        if (ch != null && !ch.isNull()) {
            if (ch.isArray()) {
                for (int i = 0; i < ch.size(); i++) {
                    JsonNode c = ch.get(i);
                    if (!c.isTextual()) {
                        problem(path + ".channels[" + i + "]", "expected a channel id, was " + c);
                    } else if (knownChannels != null && !knownChannels.contains(c.asText())) {
                        problem(path + ".channels[" + i + "]", "unknown channel '" + c.asText() + "'");
                    } else {
                        channels.add(c.asText());
                    }
                }
            } else {
                problem(path + ".channels", "expected a list of channel ids, was " + ch);
            }
        }
        Instant from = instant(node.get("from"), path + ".from", true);
        Instant until = instant(node.get("until"), path + ".until", false);
        if (from != null && until != null && !until.isAfter(from)) {
            problem(path + ".until", "must be after from (" + from + "), was " + until);
        }
        EventKind outcome = null;
        JsonNode o = node.get("outcome");
        if (o == null) {
            problem(path + ".outcome", "missing: NO_ANSWER or LINE_FAULT");
        } else if (o.isTextual() && (o.asText().equals("NO_ANSWER") || o.asText().equals("LINE_FAULT"))) {
            outcome = EventKind.valueOf(o.asText());
        } else {
            problem(path + ".outcome", "expected NO_ANSWER or LINE_FAULT, was " + o);
        }
        String note = null;
        JsonNode t = node.get("note");
        if (t != null && !t.isNull()) {
            if (t.isValueNode()) {
                note = t.asText();
            } else {
                problem(path + ".note", "expected text, was " + t);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new SimulationScript.Disruption(channels, from, until, outcome, note);
    }

    private Duration duration(JsonNode node, String path, Duration dflt, boolean positive) {
        if (node == null) {
            return dflt;
        }
        try {
            Duration v = Duration.parse(node.asText());
            if (v.isNegative() || (positive && v.isZero())) {
                problem(path, "must be " + (positive ? "positive" : "not negative") + ", was " + node.asText());
                return dflt;
            }
            return v;
        } catch (DateTimeParseException e) {
            problem(path, "expected an ISO-8601 duration like PT30S, was " + node);
            return dflt;
        }
    }

    private Instant instant(JsonNode node, String path, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                problem(path, "missing: an instant like 2023-04-07T08:00:00Z");
            }
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            problem(path, "expected an instant like 2023-04-07T08:00:00Z, was " + node);
            return null;
        }
    }

    private void unknownKeys(JsonNode node, Set<String> allowed, String prefix) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (!allowed.contains(key)) {
                problem(prefix + key, "unknown key (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    /** SnakeYAML's message without its "in 'reader', line 3, column 1:" marks and their excerpts, on one line. */
    private static String oneLine(String message) {
        List<String> parts = new ArrayList<>();
        boolean inExcerpt = false;
        for (String line : message.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("in 'reader'")) {
                inExcerpt = true;
            } else if (inExcerpt) {
                inExcerpt = !l.equals("^");
            } else if (!l.isEmpty()) {
                parts.add(l);
            }
        }
        return String.join("; ", parts);
    }

    private void problem(String field, String message) {
        problems.add(new ConfigProblem(source, 0, 0, field, message));
    }
}
