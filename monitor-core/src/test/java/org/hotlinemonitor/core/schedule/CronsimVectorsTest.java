package org.hotlinemonitor.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.hotlinemonitor.core.model.Millis;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Healthchecks' cron library: every case of {@code cron/cronsim-vectors.jsonl}
 * (cronsim's own test cases and samples, 300 seeded random expressions, DST cases in eight zones, all with
 * cronsim's output; see the file's header and generate-vectors.py) computed by {@link Cron} must give
 * cronsim's slots, except the cases of
 * {@link #DELIBERATE}, where cronsim departs from Vixie cron's rule and the Vixie answer (the line's
 * {@code vixie} list) is required instead.
 */
class CronsimVectorsTest {

    private static final String SKIPS_HALF_HOUR = "cronsim moves by real-time deltas computed from local minute"
            + " and hour numbers; across Lord Howe's 30-minute shift";
    private static final String SKIPS_CHATHAM = "cronsim moves by real-time deltas computed from local minute"
            + " and hour numbers; across Chatham's shift at 02:45/03:45";

    private static final String A_A_STEP = "cronsim reads a-a/n as a/n (from a to the end of the field every n);"
            + " Vixie cron reads it as just a, and so do we";

    /**
     * Case id to why we keep Vixie cron's meaning there: its reading of a-a/n, and its elapsed-time rule
     * (every existing matching local time fires) where cronsim's walk skips local times.
     */
    static final Map<String, String> DELIBERATE = new TreeMap<>(Map.of(
            "a-a-step-0", A_A_STEP,
            "a-a-step-1", A_A_STEP));

    static {
        DELIBERATE.putAll(Map.of(
            "dst-lord_howe-spring-03", SKIPS_HALF_HOUR + " it skips 02:30 (+11:00) on 2024-10-06, the jump's"
                    + " own instant (02:00 -> 02:30), which exists",
            "dst-lord_howe-spring-18", SKIPS_HALF_HOUR + " it skips 02:45 (+11:00) on 2024-10-06, which exists",
            "dst-lord_howe-fall-00", SKIPS_HALF_HOUR + " it skips 02:00-02:29 (+10:30) on 2024-04-07, which"
                    + " happen once, right after the repeated 01:30-01:59",
            "dst-lord_howe-fall-03", SKIPS_HALF_HOUR + " it fires the repeated 01:30 on 2024-04-07 once"
                    + " (+11:00), not at its second occurrence (+10:30)",
            "dst-lord_howe-fall-05", SKIPS_HALF_HOUR + " it skips 02:00 (+10:30) on 2024-04-07, which happens"
                    + " once",
            "dst-lord_howe-fall-18", SKIPS_HALF_HOUR + " it fires the repeated 01:45 on 2024-04-07 once"
                    + " (+11:00), not at its second occurrence (+10:30)",
            "dst-chatham-spring-15", SKIPS_CHATHAM + " it skips 03:45-03:59 (+13:45) on 2024-09-29, which"
                    + " exist right after the jump 02:45 -> 03:45",
            "dst-chatham-fall-00", SKIPS_CHATHAM + " it skips the second pass through 02:45-02:59 (+12:45)"
                    + " on 2024-04-07",
            "dst-chatham-fall-14", SKIPS_CHATHAM + " it skips the second pass through 02:45-02:59 (+12:45)"
                    + " on 2024-04-07 (same expression as dst-chatham-fall-00)",
            "dst-chatham-fall-15", SKIPS_CHATHAM + " it skips 03:00-03:59 (+12:45) on 2024-04-07: the"
                    + " second pass through 03:00-03:44 and 03:45-03:59, which happen once"));
    }

    private record Case(String id, String source, String expression, ZoneId zone, Instant start,
                        List<OffsetDateTime> expected, List<OffsetDateTime> vixie) {
    }

    @Test
    void everyCaseGivesCronsimsSlotsExceptTheDeliberateDifferences() throws IOException {
        List<Case> cases = readCases();
        List<String> failures = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int agree = 0;
        int fromCronsim = 0;
        int agreeWithCronsim = 0;
        int slots = 0;
        List<String> differences = new ArrayList<>();
        for (Case c : cases) {
            assertThat(seen.add(c.id)).as("duplicate case id %s", c.id).isTrue();
            slots += c.expected.size();
            boolean cronsim = !c.source.equals("rule");
            fromCronsim += cronsim ? 1 : 0;
            List<Instant> ours;
            try {
                ours = next(Cron.parse(c.expression, c.zone), c.start, c.expected.size());
            } catch (IllegalArgumentException e) {
                failures.add(c.id + " \"" + c.expression + "\": rejected: " + e.getMessage());
                continue;
            }
            for (OffsetDateTime t : c.expected) { // both sides read the same offsets from their zone data
                assertThat(t.getOffset()).as("%s: offset of %s in %s", c.id, t, c.zone)
                        .isEqualTo(c.zone.getRules().getOffset(t.toInstant()));
            }
            boolean same = ours.equals(instants(c.expected));
            String reason = DELIBERATE.get(c.id);
            if (same) {
                agree++;
                agreeWithCronsim += cronsim ? 1 : 0;
                if (reason != null) {
                    failures.add(c.id + " is on the deliberate list but now agrees with cronsim");
                }
            } else if (reason == null) {
                failures.add(c.id + " \"" + c.expression + "\" in " + c.zone + " after " + c.start
                        + ":\n    cronsim " + instants(c.expected) + "\n    ours    " + ours);
            } else if (c.vixie == null || !ours.equals(instants(c.vixie))) {
                failures.add(c.id + " differs from cronsim deliberately, but is not Vixie's answer either: "
                        + ours + " vs " + (c.vixie == null ? "none given" : instants(c.vixie)));
            } else {
                differences.add(c.id + " \"" + c.expression + "\" (" + c.zone + "): " + reason);
            }
        }
        Set<String> unknown = new HashSet<>(DELIBERATE.keySet());
        unknown.removeAll(seen);
        assertThat(unknown).as("deliberate differences that name no case").isEmpty();

        System.out.printf("cron vectors: %d of %d cases agree (%d expected slots): %d of %d with cronsim's output,"
                        + " %d of %d derived from the rule only; %d deliberate differences from cronsim:%n",
                agree, cases.size(), slots, agreeWithCronsim, fromCronsim, agree - agreeWithCronsim,
                cases.size() - fromCronsim, differences.size());
        differences.forEach(d -> System.out.println("  " + d));
        assertThat(failures).as("cases that differ from the reference").isEmpty();
        assertThat(cases).as("cases read from the vectors file").hasSizeGreaterThan(600);
        assertThat(agree + differences.size()).isEqualTo(cases.size());
    }

    @Test
    void everySourceOfCasesIsPresent() throws IOException {
        assertThat(readCases().stream().map(Case::source).distinct())
                .containsExactlyInAnyOrder(
                        "cronsim-tests", "cronsim-samples", "cronsim-random", "cronsim-syntax", "dst", "rule");
        assertThat(readCases().stream().filter(c -> c.source.equals("dst")).map(Case::zone).distinct())
                .contains(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"), ZoneId.of("Australia/Sydney"),
                        ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Pacific/Chatham"));
    }

    private static List<Instant> next(Schedule schedule, Instant start, int count) {
        List<Instant> out = new ArrayList<>();
        long t = start.toEpochMilli();
        while (out.size() < count) {
            t = schedule.firstAfter(t);
            if (t == Millis.NONE) {
                break;
            }
            out.add(Instant.ofEpochMilli(t));
        }
        return out;
    }

    private static List<Instant> instants(List<OffsetDateTime> times) {
        return times.stream().map(OffsetDateTime::toInstant).toList();
    }

    private static List<Case> readCases() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(
                CronsimVectorsTest.class.getResourceAsStream("/cron/cronsim-vectors.jsonl"), "cron/cronsim-vectors.jsonl");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                String zone = node.path("zone").asText();
                assertThat(node.path("expected").isArray()).as("line %d has an expected list", number).isTrue();
                cases.add(new Case(node.path("id").asText(), node.path("source").asText(), node.path("expr").asText(),
                        zone.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(zone),
                        OffsetDateTime.parse(node.path("start").asText()).toInstant(),
                        times(node.get("expected")), node.has("vixie") ? times(node.get("vixie")) : null));
            }
        }
        return cases;
    }

    private static List<OffsetDateTime> times(JsonNode array) {
        List<OffsetDateTime> out = new ArrayList<>();
        array.forEach(t -> out.add(OffsetDateTime.parse(t.asText())));
        return out;
    }
}
