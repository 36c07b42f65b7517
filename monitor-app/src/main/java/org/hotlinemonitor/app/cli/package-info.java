/**
 * The command line (picocli): one class per command, and the wiring of the adapters each command runs. Thin: the
 * work is in the packages it calls. docs/cli.md is the contract.
 *
 * <p>Uses: app.broker, app.calls, app.detect, app.http, app.metrics, app.notify, app.produce, app.replay, app.report, core.alert, core.codec, core.config, core.detect, core.ingest, core.model, core.notify, core.replay, core.status.
 */
package org.hotlinemonitor.app.cli;
