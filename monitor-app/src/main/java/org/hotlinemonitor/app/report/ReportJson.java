package org.hotlinemonitor.app.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.ReplayReport;
import org.hotlinemonitor.core.status.StatusLedger;
import org.hotlinemonitor.core.status.StatusLedger.Availability;

/**
 * The JSON report: the core report's tree ({@link ReplayReport#toTree()}) with what the html report shows besides,
 * per channel its availability per local month and per local year ({@code availabilityByMonth},
 * {@code availabilityByYear}), and the first refused records of each reason ({@code input.rejectedExamples}).
 */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ReportJson() {
    }

    /** The tree, with the ledger's months and years and the examples. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> tree(ReplayReport report, StatusLedger ledger, RejectExamples examples) {
        Map<String, Object> root = report.toTree();
        Instant[] period = HtmlReport.period(report, ledger);
        Map<String, ChannelTimeline> timelines = new LinkedHashMap<>();
        if (period != null) {
            for (ChannelTimeline t : ChannelTimeline.all(ledger, period[0], period[1])) {
                timelines.put(t.channel().id(), t);
            }
        }
        for (Object o : (List<Object>) root.get("channels")) {
            Map<String, Object> channel = (Map<String, Object>) o;
            ChannelTimeline t = timelines.get((String) channel.get("id"));
            channel.put("zone", ledger.channels().stream().filter(c -> c.id().equals(channel.get("id"))).findFirst()
                    .map(c -> c.zone().getId()).orElse(null));
            Map<String, Object> months = new LinkedHashMap<>();
            Map<String, Object> years = new LinkedHashMap<>();
            if (t != null) {
                t.months().forEach((m, a) -> months.put(m.toString(), counts(a)));
                t.years().forEach((y, a) -> years.put(String.valueOf(y), counts(a)));
            }
            channel.put("availabilityByMonth", months);
            channel.put("availabilityByYear", years);
        }
        Map<String, Object> input = (Map<String, Object>) root.get("input");
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
        return root;
    }

    /** Writes the tree as pretty JSON and a newline to {@code out} (not closed). */
    public static void write(ReplayReport report, StatusLedger ledger, RejectExamples examples, Writer out)
            throws IOException {
        JSON.writeValue(out, tree(report, ledger, examples));
        out.write('\n');
    }

    private static Map<String, Object> counts(Availability a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answered", a.answered());
        m.put("missed", a.missed());
        m.put("availability", a.ratio().isPresent() ? a.ratio().getAsDouble() : null);
        return m;
    }
}
