/**
 * The scheduler: places each channel's routine call at its slots (through a placer: simulated or an operator's
 * record), with retries and late marks, and publishes the call-check events.
 *
 * <p>Uses: core.codec, core.config, core.detect, core.model, core.schedule.
 */
package org.hotlinemonitor.app.schedule;
