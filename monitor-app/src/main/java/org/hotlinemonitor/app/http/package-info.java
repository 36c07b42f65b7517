/**
 * The HTTP API ({@code /api/v1}: channels, alerts, silences, recorded calls) and the status page, on Jetty, with
 * tokens, scopes and TLS. docs/api.md is the contract.
 *
 * <p>Uses: app.broker, app.calls, app.detect, app.notify, app.produce, core.alert, core.codec, core.config, core.detect, core.fast, core.model, core.notify, core.schedule, core.status.
 */
package org.hotlinemonitor.app.http;
