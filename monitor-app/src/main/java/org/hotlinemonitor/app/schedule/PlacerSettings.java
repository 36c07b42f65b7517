package org.hotlinemonitor.app.schedule;

import java.util.Objects;

/** Which {@link CallPlacer} a producer uses, as a settings value; {@link #create} makes it. */
public sealed interface PlacerSettings {

    /** Makes the placer; it may schedule on {@code timer}. The caller closes it. */
    CallPlacer create(ClockTimer timer);

    /** A {@link SimulatedPlacer} playing {@code script}. */
    record Simulated(SimulationScript script) implements PlacerSettings {
        public Simulated {
            Objects.requireNonNull(script, "script");
        }

        @Override
        public CallPlacer create(ClockTimer timer) {
            return new SimulatedPlacer(script, timer);
        }
    }

    /** An {@link OperatorPlacer}: people place the calls and record them. */
    record Operator() implements PlacerSettings {
        @Override
        public CallPlacer create(ClockTimer timer) {
            return new OperatorPlacer();
        }
    }
}
