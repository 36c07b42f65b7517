/** Schedules: when routine calls are due, computed in each channel's zone with daylight saving handled. */
package org.hotlinemonitor.core.schedule;
