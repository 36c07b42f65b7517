package org.hotlinemonitor.app.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.hotlinemonitor.app.broker.Acls;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.core.notify.NotifyConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code acls}: the ACLs of one principal per role ({@link Acls}), created on a cluster with the Admin API, or
 * printed as a {@code kafka-acls.sh} script ({@code --print}; deploy/kafka/acls.sh is its output for the default
 * names).
 */
@Command(name = "acls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Creates the Kafka ACLs of the monitor's roles, one principal each (docs/security.md): the scheduler and the API "
                + "write events, the detector reads events and writes alerts, the notifier reads alerts, replay reads events; "
                + "no role writes what another writes. Needs an administrator's --kafka-config. Existing ACLs are kept.",
            "With --print, prints the same as a kafka-acls.sh script instead, and needs no cluster."},
        sortOptions = false)
final class AclsCommand implements Callable<Integer> {

    /** What {@code --print} writes before the commands. */
    static final String SCRIPT_HEADER = """
            #!/bin/sh
            # The monitor's Kafka ACLs, one principal per role: see docs/security.md.
            # Usage: BOOTSTRAP=kafka-1:9093 ADMIN_CONFIG=admin.properties deploy/kafka/acls.sh
            #   ADMIN_CONFIG: the client properties (security.protocol, sasl.*, ssl.*) of a user allowed to alter ACLs.
            # Written by: %s
            set -eu
            : "${BOOTSTRAP:?set BOOTSTRAP to the cluster's host:port}"
            : "${ADMIN_CONFIG:?set ADMIN_CONFIG to the administrator's client properties file}"
            """;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scheduler", paramLabel = "PRINCIPAL", description = "The scheduler's principal (produce, record), e.g. User:scheduler.")
    String scheduler;

    @Option(names = "--api", paramLabel = "PRINCIPAL", description = "The HTTP API's principal (inside run).")
    String api;

    @Option(names = "--detector", paramLabel = "PRINCIPAL", description = "The detector's principal (detect).")
    String detector;

    @Option(names = "--notifier", paramLabel = "PRINCIPAL", description = "The notifier's principal (notify).")
    String notifier;

    @Option(names = "--replay", paramLabel = "PRINCIPAL", description = "The principal of replay from the events topic.")
    String replay;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:HOTLINE_APPLICATION_ID:-" + DetectorSettings.DEFAULT_APPLICATION_ID + "}",
            description = "The detector's --application-id: its group and the prefix of its internal topics and transactional "
                    + "ids. Env: HOTLINE_APPLICATION_ID. Default: " + DetectorSettings.DEFAULT_APPLICATION_ID + ".")
    String applicationId;

    @Option(names = "--notify-group-id", paramLabel = "ID",
            defaultValue = "${env:HOTLINE_NOTIFY_GROUP_ID:-" + NotifyConfig.DEFAULT_GROUP_ID + "}",
            description = "The notify: section's groupId, the prefix of the notifier's groups. Env: HOTLINE_NOTIFY_GROUP_ID. "
                    + "Default: " + NotifyConfig.DEFAULT_GROUP_ID + ".")
    String notifyGroupId;

    @Option(names = "--print", description = "Print a kafka-acls.sh script on stdout instead of creating the ACLs.")
    boolean print;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "The Kafka cluster. Env: HOTLINE_BOOTSTRAP_SERVERS. Required unless --print.")
    String bootstrapServers;

    @Mixin
    TopicOptions topics;

    @Mixin
    KafkaClientOptions client;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Map<Setting, String> options = new EnumMap<>(Setting.class);
        options.put(Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        topics.putInto(options);
        KafkaSettings settings = KafkaOptions.resolve(cl, options, System::getenv);
        List<Acls.Grant> grants = new ArrayList<>();
        try {
            add(grants, Acls.Role.SCHEDULER, scheduler);
            add(grants, Acls.Role.API, api);
            add(grants, Acls.Role.DETECTOR, detector);
            add(grants, Acls.Role.NOTIFIER, notifier);
            add(grants, Acls.Role.REPLAY, replay);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (grants.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "give at least one role's principal: --scheduler, --api, --detector, "
                    + "--notifier, --replay");
        }
        Topics names = settings.topics();
        List<AclBinding> bindings = Acls.forRoles(grants, new Acls.Names(names, applicationId, notifyGroupId));
        PrintStream out = System.out;
        if (print) {
            out.print(SCRIPT_HEADER.formatted(String.join(" ", commandLine())));
            bindings.forEach(b -> out.println(Acls.kafkaAclsCommand(b, "\"$BOOTSTRAP\"", "\"$ADMIN_CONFIG\"")));
            out.flush();
            return ExitCodes.OK;
        }
        if (settings.embedded()) {
            throw new CommandLine.ParameterException(cl, "missing --bootstrap-servers (or the environment variable "
                    + "HOTLINE_BOOTSTRAP_SERVERS), or --print");
        }
        KafkaClientConfig admin = client.load(null);
        try (Admin a = Admin.create(admin.withBootstrap(settings.bootstrapServers().orElseThrow()))) {
            Acls.apply(a, bindings, Topics.DEFAULT_TIMEOUT);
        }
        bindings.forEach(b -> out.println("created " + b.entry().principal() + " " + b.entry().operation() + " "
                + b.pattern().resourceType() + " " + b.pattern().name() + " (" + b.pattern().patternType() + ")"));
        System.err.println(bindings.size() + " ACL(s) in place for " + grants.size() + " role(s)");
        return ExitCodes.OK;
    }

    private static void add(List<Acls.Grant> grants, Acls.Role role, String principal) {
        if (principal != null) {
            grants.add(new Acls.Grant(role, principal));
        }
    }

    /** This command's arguments as given, for the script's header. */
    private List<String> commandLine() {
        List<String> args = new ArrayList<>(List.of("java -jar monitor-app.jar"));
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        return args;
    }
}
