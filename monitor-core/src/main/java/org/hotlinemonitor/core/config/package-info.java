/**
 * The configuration files: channels ({@link org.hotlinemonitor.core.config.ConfigLoader}, YAML or JSON, a file or a
 * directory, streamed), one channel as a topic record ({@link org.hotlinemonitor.core.config.ChannelRecords}), and the
 * notify, api, silences, signing and kafka sections. Every problem names its file, line, column and field
 * ({@link org.hotlinemonitor.core.config.ConfigProblem}); docs/formats.md is the contract.
 *
 * <p>Uses: core.alert, core.codec, core.model, core.notify, core.schedule.
 */
package org.hotlinemonitor.core.config;
