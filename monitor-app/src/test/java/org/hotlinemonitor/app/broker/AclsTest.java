package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The table of docs/security.md: what each role may do, and above all what it may not write. */
class AclsTest {

    static final Acls.Names NAMES = new Acls.Names(Topics.DEFAULT, "hotline-monitor-detector", "hotline-notify");

    /** One role's grants beyond Describe on the topics, as "Operation Resource:name[*]" (a star: a prefix). */
    static String grants(Acls.Role role) {
        return Acls.forRole(role, "User:x", NAMES).stream()
                .filter(b -> !(b.entry().operation() == AclOperation.DESCRIBE && b.pattern().resourceType() == ResourceType.TOPIC))
                .map(AclsTest::text).collect(Collectors.joining(", "));
    }

    static String text(AclBinding b) {
        String op = b.entry().operation().name();
        return op.charAt(0) + op.substring(1).toLowerCase() + " " + b.pattern().resourceType().name().toLowerCase() + ":"
                + b.pattern().name() + (b.pattern().patternType().name().equals("PREFIXED") ? "*" : "");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SCHEDULER | Write topic:hotline.events, Read topic:hotline.events, Read topic:hotline-monitor-detector-detector-channels-changelog
            API       | Write topic:hotline.events, Read topic:hotline.alerts, Read topic:hotline.silences, Write topic:hotline.silences
            DETECTOR  | Read topic:hotline.events, Write topic:hotline.alerts, Write topic:hotline.rejects, Read topic:hotline.channels, All topic:hotline-monitor-detector*, Read group:hotline-monitor-detector*, Write transactional_id:hotline-monitor-detector*, Describe transactional_id:hotline-monitor-detector*
            NOTIFIER  | Read topic:hotline.alerts, Read group:hotline-notify*, Write topic:hotline.notify-rejects, Read topic:hotline.silences
            REPLAY    | Read topic:hotline.events
            """)
    void eachRoleGetsWhatItsClientsDo(Acls.Role role, String expected) {
        assertThat(grants(role)).isEqualTo(expected);
        assertThat(Acls.forRole(role, "User:x", NAMES)).as("every role describes the five topics")
                .filteredOn(b -> b.entry().operation() == AclOperation.DESCRIBE && b.pattern().resourceType() == ResourceType.TOPIC)
                .hasSize(5);
    }

    @Test
    void noTopicIsWrittenByTwoRolesButTheEventsWhichSchedulerAndApiShare() {
        java.util.Map<String, List<Acls.Role>> writers = new java.util.TreeMap<>();
        for (Acls.Role role : Acls.Role.values()) {
            Acls.forRole(role, "User:x", NAMES).stream()
                    .filter(b -> b.entry().operation() == AclOperation.WRITE || b.entry().operation() == AclOperation.ALL)
                    .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC)
                    .forEach(b -> writers.computeIfAbsent(b.pattern().name(), k -> new java.util.ArrayList<>()).add(role));
        }
        assertThat(writers).containsEntry("hotline.events", List.of(Acls.Role.SCHEDULER, Acls.Role.API));
        writers.remove("hotline.events");
        assertThat(writers.values()).as("every other topic has one writer: %s", writers).allSatisfy(w -> assertThat(w).hasSize(1));
    }

    @Test
    void onlyTheDetectorWritesAlertsAndOnlySchedulerAndApiWriteEvents() {
        for (Acls.Role role : Acls.Role.values()) {
            List<String> writes = Acls.forRole(role, "User:x", NAMES).stream()
                    .filter(b -> b.entry().operation() == AclOperation.WRITE || b.entry().operation() == AclOperation.ALL)
                    .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC).map(b -> b.pattern().name()).toList();
            assertThat(writes.contains("hotline.alerts")).as(role + " writes alerts").isEqualTo(role == Acls.Role.DETECTOR);
            assertThat(writes.contains("hotline.events")).as(role + " writes events")
                    .isEqualTo(role == Acls.Role.SCHEDULER || role == Acls.Role.API);
            assertThat(writes.contains("hotline.silences")).as(role + " writes silences").isEqualTo(role == Acls.Role.API);
        }
    }

    @Test
    void kafkaAclsCommandLines() {
        List<AclBinding> detector = Acls.forRole(Acls.Role.DETECTOR, "User:detector", NAMES);
        assertThat(detector.stream().map(b -> Acls.kafkaAclsCommand(b, "kafka:9093", "admin.properties")))
                .contains("kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add "
                                + "--allow-principal User:detector --operation Write --topic hotline.alerts",
                        "kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add "
                                + "--allow-principal User:detector --operation Write --transactional-id hotline-monitor-detector "
                                + "--resource-pattern-type prefixed");
    }

    @Test
    void principalsAndRolesAreChecked() {
        assertThatThrownBy(() -> new Acls.Grant(Acls.Role.REPLAY, "replay")).hasMessageContaining("User:<name>");
        assertThatThrownBy(() -> Acls.Role.of("notifer")).hasMessageContaining("scheduler, api, detector, notifier, replay");
    }
}
