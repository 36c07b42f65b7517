package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET    | /healthz                      | HEALTH          | -",
            "GET    | /readyz                       | READY           | -",
            "GET    | /api/v1/channels              | CHANNELS        | -",
            "GET    | /api/v1/channels/liaison-office | CHANNEL       | liaison-office",
            "GET    | /api/v1/channels/a%2Fb        | CHANNEL         | a/b",
            "POST   | /api/v1/calls                 | RECORD_CALL     | -",
            "GET    | /api/v1/alerts                | ALERTS          | -",
            "GET    | /api/v1/silences              | SILENCES        | -",
            "POST   | /api/v1/silences              | CREATE_SILENCE  | -",
            "GET    | /api/v1/silences/nightly      | SILENCE         | nightly",
            "DELETE | /api/v1/silences/nightly      | DELETE_SILENCE  | nightly",
            // not found
            "GET    | /healthzz                     | 404             | -",
            "GET    | /api/v1/status                | STATUS          | -",
            // the status page and its two files
            "GET    | /                             | PAGE            | -",
            "GET    | /status.css                   | PAGE_ASSET      | status.css",
            "GET    | /status.js                    | PAGE_ASSET      | status.js",
            "HEAD   | /                             | PAGE            | -",
            "HEAD   | /status.js                    | PAGE_ASSET      | status.js",
            "HEAD   | /api/v1/status                | STATUS          | -",
            "POST   | /                             | 405 GET,HEAD    | -",
            "POST   | /api/v1/status                | 405 GET,HEAD    | -",
            "GET    | /index.html                   | 404             | -",
            "GET    | /status.css/x                 | 404             | -",
            "GET    | /static/status.js             | 404             | -",
            "GET    | /api/v1/status/x              | 404             | -",
            "GET    | /metrics/                     | 404             | -",
            "GET    | /api/v1/                      | 404             | -",
            "GET    | /api/v1/nothing               | 404             | -",
            "GET    | /api/v1/channels/             | 404             | -",
            "GET    | /api/v1/channels/a/b          | 404             | -",
            "POST   | /api/v1/calls/x               | 404             | -",
            "GET    | /api/v2/channels              | 404             | -",
            // method not allowed, with what is
            "POST   | /healthz                      | 405 GET,HEAD    | -",
            "DELETE | /api/v1/channels              | 405 GET,HEAD    | -",
            "GET    | /api/v1/calls                 | 405 POST        | -",
            "HEAD   | /api/v1/calls                 | 405 POST        | -",
            "PUT    | /api/v1/silences              | 405 GET,HEAD,POST | -",
            "POST   | /api/v1/silences/nightly      | 405 GET,HEAD,DELETE | -",
            // HEAD wherever GET
            "HEAD   | /healthz                      | HEALTH          | -",
            "HEAD   | /readyz                       | READY           | -",
            "HEAD   | /api/v1/alerts                | ALERTS          | -",
            "HEAD   | /api/v1/channels/ship         | CHANNEL         | ship",
            "HEAD   | /api/v1/silences/nightly      | SILENCE         | nightly",
            // a malformed escape in a path parameter; + is not a space
            "GET    | /api/v1/channels/a%zz         | 400             | -",
            "GET    | /api/v1/channels/a%2           | 400             | -",
            "GET    | /api/v1/channels/%C3%28       | 400             | -",
            "GET    | /api/v1/channels/a+b          | CHANNEL         | a+b",
    })
    void routes(String method, String path, String expected, String id) {
        Router.Route r = Router.route(method, path);
        String got = r instanceof Router.Match m ? m.endpoint().name()
                : r instanceof Router.MethodNotAllowed m ? "405 " + String.join(",", m.allowed())
                : r instanceof Router.BadPath ? "400"
                : "404";
        assertThat(got).isEqualTo(expected);
        if (r instanceof Router.Match m) {
            assertThat(m.id()).isEqualTo(id);
        }
    }
}
