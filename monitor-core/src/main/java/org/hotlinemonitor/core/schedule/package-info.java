/**
 * Schedules: when routine calls are due, computed in each channel's zone with daylight saving handled.
 *
 * <p>Uses: none of the project's packages.
 */
package org.hotlinemonitor.core.schedule;
