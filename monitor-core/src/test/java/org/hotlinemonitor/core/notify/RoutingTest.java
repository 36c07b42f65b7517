package org.hotlinemonitor.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTest {

    private static final Instant T = Instant.parse("2023-04-10T01:00:00Z");

    /** Pages critical and resolve of the inter-Korean lines; everything to chat; our own faults to ops. */
    private static final NotifyConfig CONFIG = new NotifyConfig("hotline-notify", true, Duration.ZERO, Backoff.DEFAULT,
            List.of(sink("pager"), sink("chat"), sink("ops")),
            List.of(new Route(Set.of(Severity.CRITICAL, Severity.RESOLVE), List.of("liaison-*", "*-military"), List.of("pager")),
                    new Route(Set.of(), List.of(), List.of("chat")),
                    new Route(Set.of(Severity.ERROR), List.of(), List.of("ops", "chat"))));

    private static SinkConfig sink(String name) {
        return new SinkConfig(name, SinkType.SLACK, URI.create("http://127.0.0.1:1/" + name), null);
    }

    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource({
        "CHANNEL_DOWN,     liaison-office,       pager chat",
        "CHANNEL_RESTORED, liaison-office,       pager chat",
        "CHANNEL_DOWN,     east-coast-military,  pager chat",
        "CHANNEL_DOWN,     ship-to-ship,         chat",
        "SLOT_MISSED,      liaison-office,       chat",
        "CALL_NOT_PLACED,  liaison-office,       chat ops",   // in sink order, each once
        "CHANNEL_DOWN,     liaison,              chat",       // the glob needs the dash
        "OUR_SIDE_SILENT,  our-side,             chat ops",   // error: our own side
        "OUR_SIDE_RESUMED, our-side,             chat ops",   // a resolve follows its page to the error route
        "CHANNEL_RESTORED, ship-to-ship,         chat",       // ... but not past a channel filter
    })
    void routesBySeverityAndChannel(AlertType type, String channel, String expected) {
        Alert alert = new Alert(Alert.id(channel, type, T), type, channel, T, null, null, T, 2, null);
        assertThat(CONFIG.sinksFor(alert)).containsExactlyElementsOf(Arrays.asList(expected.split(" ")));
    }

    @ParameterizedTest(name = "route for {0} gets {1}: {2}")
    @CsvSource({
        "CRITICAL, CHANNEL_DOWN,     true",
        "CRITICAL, CHANNEL_RESTORED, true",    // the resolve of what it paged
        "CRITICAL, OUR_SIDE_RESUMED, false",
        "ERROR,    OUR_SIDE_SILENT,  true",
        "ERROR,    OUR_SIDE_RESUMED, true",
        "ERROR,    CHANNEL_RESTORED, false",
        "ERROR,    CALL_NOT_PLACED,  true",
        "WARNING,  CHANNEL_RESTORED, false",
        "RESOLVE,  CHANNEL_RESTORED, true",
        "RESOLVE,  OUR_SIDE_RESUMED, true",
        "RESOLVE,  CHANNEL_DOWN,     false",
    })
    void aResolveGoesWhereItsPageWent(Severity severity, AlertType type, boolean matches) {
        Route route = new Route(Set.of(severity), List.of(), List.of("s"));
        Alert alert = new Alert(Alert.id("x", type, T), type, "x", T, null, null, T, null, null);
        assertThat(route.matches(alert)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "liaison-*,  liaison-office, true",
        "liaison-*,  liaison-,       true",
        "*,          anything,       true",
        "line-?,     line-1,         true",
        "line-?,     line-12,        false",
        "a.b,        a.b,            true",
        "a.b,        axb,            false",   // a dot is literal
        "exact,      exact2,         false",
        "exact,      exac,           false",
        "*-kr,       us-kr,          true",
        "*-kr,       us-kr-2,        false",
        "a*b*c,      aXbYbZc,        true",
        "a*b*c,      aXbYc-,         false",
        "**,         '',             true",
        "'',         '',             true",
        "'',         x,              false",
        "?*,         '',             false",
        "a*a*a*a*b,  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
        "line-[1],   line-[1],       true",    // brackets are literal, not a class
        "line-[1],   line-1,         false",
    })
    void globs(String glob, String text, boolean matches) {
        assertThat(Route.globMatches(glob, text)).isEqualTo(matches);
    }
}
