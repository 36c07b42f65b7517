package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic creation against one real embedded broker: idempotent, safe under races, and honest about existing topics. */
@org.junit.jupiter.api.Tag("integration")
class TopicsTest {

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0));
        admin = EmbeddedBrokerTest.admin(broker);
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void createsWhatIsMissingOnceAndThenLeavesItAlone() throws Exception {
        Topics topics = new Topics("once.events", "once.alerts", "once.rejects", "once.notify-rejects", "once.silences");
        List<TopicSpec> specs = topics.specs(6, Optional.of((short) 1));

        List<Topics.Ensured> first = Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT);
        assertThat(first).extracting(e -> e.spec().name()).containsExactly("once.events", "once.alerts", "once.rejects", "once.notify-rejects");
        assertThat(first).allMatch(Topics.Ensured::created).allMatch(e -> e.partitions() == 6);
        for (TopicDescription d : describe(topics.names())) {
            assertThat(d.partitions()).hasSize(6).allMatch(p -> p.replicas().size() == 1);
        }

        List<Topics.Ensured> again = Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT);
        assertThat(again).noneMatch(Topics.Ensured::created).allMatch(e -> e.partitions() == 6)
                .noneMatch(Topics.Ensured::hasFewerPartitionsThanAsked);
    }

    @Test
    void clientsRacingToCreateTheSameTopicsAllSucceedAndEachTopicIsCreatedOnce() throws Exception {
        List<TopicSpec> specs = new Topics("race.events", "race.alerts", "race.rejects", "race.notify-rejects", "race.silences").specs(3, Optional.of((short) 1));
        int clients = 4;
        CyclicBarrier start = new CyclicBarrier(clients);
        List<CompletableFuture<List<Topics.Ensured>>> results = Stream.generate(() -> CompletableFuture.supplyAsync(() -> {
            try (Admin own = EmbeddedBrokerTest.admin(broker)) {
                start.await(30, TimeUnit.SECONDS);
                return Topics.ensureTopics(own, specs, Topics.DEFAULT_TIMEOUT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).limit(clients).toList();

        List<Topics.Ensured> all = results.stream().flatMap(f -> f.join().stream()).toList();
        assertThat(all).hasSize(clients * 4).allMatch(e -> e.partitions() == 3);
        for (TopicSpec spec : specs) {
            assertThat(all).filteredOn(e -> e.spec().equals(spec)).filteredOn(Topics.Ensured::created).hasSize(1);
        }
    }

    @Test
    void anExistingTopicWithFewerPartitionsIsKeptAsItIsAndReported() throws Exception {
        admin.createTopics(List.of(new NewTopic("narrow.events", 2, (short) 1))).all().get();
        List<TopicSpec> specs = new Topics("narrow.events", "narrow.alerts", "narrow.rejects", "narrow.notify-rejects", "narrow.silences").specs(6, Optional.of((short) 1));

        List<Topics.Ensured> ensured = Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT);

        assertThat(ensured.get(0)).isEqualTo(new Topics.Ensured(specs.get(0), false, 2));
        assertThat(ensured.get(0).hasFewerPartitionsThanAsked()).isTrue();
        assertThat(ensured.subList(1, 4)).allMatch(Topics.Ensured::created).noneMatch(Topics.Ensured::hasFewerPartitionsThanAsked);
        assertThat(describe(List.of("narrow.events")).get(0).partitions()).hasSize(2);
    }

    @Test
    void aReplicationFactorAboveTheBrokerCountIsAClearError() {
        List<TopicSpec> specs = List.of(new TopicSpec("replicated.events", 6, Optional.of((short) 3)));
        assertThatThrownBy(() -> Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT))
                .isInstanceOf(KafkaSetupException.class)
                .hasMessageStartingWith("cannot create topic replicated.events: ")
                .hasMessageContaining("replication factor of 3");
    }

    @Test
    void theClustersDefaultReplicationFactorIsUsedWhenNoneIsGiven() throws Exception {
        List<TopicSpec> specs = List.of(new TopicSpec("default-rf.events", 1, Optional.empty()));
        assertThat(Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT)).allMatch(Topics.Ensured::created);
        assertThat(describe(List.of("default-rf.events")).get(0).partitions().get(0).replicas()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "has space", "slash/ed", "ümlaut"})
    void illegalTopicNamesAreRefused(String name) {
        assertThatThrownBy(() -> new TopicSpec(name, 1, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("illegal topic name '" + name + "'");
    }

    @Test
    void topicsMustBeDifferentOnes() {
        assertThatThrownBy(() -> new Topics("a", "a", "b"))
                .hasMessage("events, alerts, rejects and the notifier's rejects need four different topics, were a, a, b, hotline.notify-rejects");
        assertThatThrownBy(() -> new Topics("e", "a", "r", "r", "s"))
                .as("the notifier's rejects apart from the detector's: one writer a topic")
                .hasMessage("events, alerts, rejects and the notifier's rejects need four different topics, were e, a, r, r");
        assertThat(new TopicSpec("x".repeat(249), 1, Optional.empty()).name()).hasSize(249);
        assertThatThrownBy(() -> new TopicSpec("x".repeat(250), 1, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicSpec("ok", 0, Optional.empty())).hasMessage("partitions of topic ok must be at least 1, was 0");
    }

    /** Describes topics that ensureTopics returned: they must be known at once, without waiting. */
    static List<TopicDescription> describe(List<String> names) throws Exception {
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        return names.stream().map(described::get).toList();
    }
}
