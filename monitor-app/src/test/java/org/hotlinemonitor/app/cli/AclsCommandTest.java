package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.hotlinemonitor.app.broker.Acls;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("integration")
class AclsCommandTest {

    static final Path SCRIPT = CliTest.ROOT.resolve("deploy/kafka/acls.sh");
    static final String[] DEFAULT_ROLES = {"--scheduler", "User:scheduler", "--api", "User:api", "--detector", "User:detector",
        "--notifier", "User:notifier", "--replay", "User:replay"};

    @TempDir
    Path tmp;

    /** deploy/kafka/acls.sh is what {@code acls --print} writes for the default names: regenerate it when this fails. */
    @Test
    void theShippedScriptIsThePrintedOne() throws Exception {
        String[] args = new String[DEFAULT_ROLES.length + 2];
        args[0] = "acls";
        args[1] = "--print";
        System.arraycopy(DEFAULT_ROLES, 0, args, 2, DEFAULT_ROLES.length);
        CliTest.Result r = CliTest.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("--allow-principal User:detector --operation Write --topic hotline.alerts")
                .doesNotContain("--allow-principal User:notifier --operation Write --topic hotline.events")
                .doesNotContain("--allow-principal User:scheduler --operation Write --topic hotline.alerts");
        assertThat(Files.readString(SCRIPT)).as("deploy/kafka/acls.sh; regenerate with java -jar monitor-app.jar acls --print "
                + String.join(" ", DEFAULT_ROLES)).isEqualTo(r.out());
    }

    @Test
    void createsTheAclsThroughTheAdminApiAsTheAdministrator() throws Exception {
        EmbeddedBroker.Security security = new EmbeddedBroker.Security("admin", Map.of("admin", "admin-secret"), List.of());
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(tmp.resolve("data"), 0, 0), security)) {
            Path adminConfig = tmp.resolve("admin.properties");
            Files.writeString(adminConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config="
                    + security.clientConfig("admin").values().get("sasl.jaas.config") + "\n");
            CliTest.Result r = CliTest.run("acls", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config",
                    adminConfig.toString(), "--detector", "User:detector", "--replay", "User:replay");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).doesNotContain("admin-secret");
            try (Admin a = Admin.create(security.clientConfig("admin").withBootstrap(broker.bootstrapServers()))) {
                Collection<AclBinding> acls = a.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
                List<AclBinding> expected = Acls.forRoles(List.of(new Acls.Grant(Acls.Role.DETECTOR, "User:detector"),
                        new Acls.Grant(Acls.Role.REPLAY, "User:replay")), new Acls.Names(Topics.DEFAULT,
                        "hotline-monitor-detector", NotifyConfig.DEFAULT_GROUP_ID));
                assertThat(acls).containsExactlyInAnyOrderElementsOf(expected);
            }
            CliTest.Result again = CliTest.run("acls", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config",
                    adminConfig.toString(), "--detector", "User:detector");
            assertThat(again.code()).as("again: existing ACLs are kept " + again.err()).isZero();
        }
    }

    @Test
    void withoutCredentialsTheBrokerRefuses() throws Exception {
        EmbeddedBroker.Security security = new EmbeddedBroker.Security("admin", Map.of("admin", "admin-secret"), List.of());
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(tmp.resolve("data"), 0, 0), security)) {
            Path userConfig = tmp.resolve("replay.properties");
            Files.writeString(userConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config="
                    + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"wrong\";\n");
            CliTest.Result r = CliTest.run("acls", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config",
                    userConfig.toString(), "--replay", "User:replay");
            assertThat(r.code()).isNotZero();
            assertThat(r.err()).contains("cannot create the ACLs").contains("Authentication failed").doesNotContain("wrong\"");
        }
    }

    @Test
    void aMissingKafkaConfigFileIsBadInputNamingIt() {
        CliTest.Result r = CliTest.run("acls", "--bootstrap-servers", "127.0.0.1:9", "--kafka-config",
                tmp.resolve("nope.properties").toString(), "--replay", "User:replay");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--kafka-config " + tmp.resolve("nope.properties") + ": no such file");
    }
}
