package org.hotlinemonitor.app.calls;

import java.util.List;
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

    /**
     * An {@link OperatorPlacer}: people place the calls and record them.
     *
     * @param recordCommand the words of the {@code record} command its reminders name, up to {@code --channel}
     *                      (see {@link OperatorPlacer#OperatorPlacer(List)})
     */
    record Operator(List<String> recordCommand) implements PlacerSettings {
        public Operator {
            recordCommand = List.copyOf(recordCommand);
        }

        /** Reminders naming only the options that depend on the slot. */
        public Operator() {
            this(List.of("record"));
        }

        @Override
        public CallPlacer create(ClockTimer timer) {
            return new OperatorPlacer(recordCommand);
        }
    }
}
