package org.hotlinemonitor.app.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.ReplayReport;
import org.hotlinemonitor.core.status.StatusLedger.Availability;

/**
 * The JSON report: the core report's tree ({@link ReplayReport#toTree()}) with what the html report shows besides:
 * per channel its zone and its availability per local month and per local year ({@code availabilityByMonth},
 * {@code availabilityByYear}), and the first refused records of each reason ({@code input.rejectedExamples}).
 */
public final class ReportJson {

    private ReportJson() {
    }

    /**
     * Writes the report as pretty JSON and a newline to {@code out} (not closed), as it is built: one channel at a
     * time ({@link ReplayReport#writeJson}).
     */
    public static void write(ReplayReport report, MonitorConfig config, MonthlyAvailability monthly,
                             RejectExamples examples, Writer out) throws IOException {
        report.writeJson(out, new Extras(config, monthly, examples));
    }

    /** Each channel's zone, months and years; the input's examples. */
    private static final class Extras implements ReplayReport.JsonExtras {
        private final Map<String, Channel> byId = new HashMap<>();
        private final MonthlyAvailability monthly;
        private final RejectExamples examples;

        Extras(MonitorConfig config, MonthlyAvailability monthly, RejectExamples examples) {
            config.channels().forEach(c -> byId.put(c.id(), c));
            this.monthly = monthly;
            this.examples = examples;
        }

        @Override
        public void channel(Map<String, Object> channel) {
            String id = (String) channel.get("id");
            channel.put("zone", byId.get(id).zone().getId());
            Map<String, Object> months = new LinkedHashMap<>();
            monthly.months(id).forEach((m, a) -> months.put(m.toString(), counts(a)));
            Map<String, Object> years = new LinkedHashMap<>();
            monthly.years(id).forEach((y, a) -> years.put(String.valueOf(y), counts(a)));
            channel.put("availabilityByMonth", months);
            channel.put("availabilityByYear", years);
        }

        @Override
        public void input(Map<String, Object> input) {
            Map<String, Object> byReason = new LinkedHashMap<>();
            examples.all().forEach((reason, records) -> {
                List<Object> list = new ArrayList<>();
                for (RejectRecord r : records) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("where", r.where().describe());
                    m.put("field", r.field());
                    m.put("message", r.message());
                    m.put(r.rawBase64() ? "rawBase64" : "raw", r.raw());
                    list.add(m);
                }
                byReason.put(reason, list);
            });
            input.put("rejectedExamples", byReason);
        }
    }

    private static Map<String, Object> counts(Availability a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answered", a.answered());
        m.put("missed", a.missed());
        m.put("availability", a.ratio().isPresent() ? a.ratio().getAsDouble() : null);
        return m;
    }
}
