package org.hotlinemonitor.core.codec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;

/**
 * Parses call-check events from CSV lines, for logs exported from spreadsheets and older tools.
 *
 * <p>The first line is a header naming the columns, in any order and any case: {@code ts},
 * {@code channel} and {@code kind} are required, {@code slot}, {@code id}, {@code source},
 * {@code note} and {@code sig} optional; any other name is an error, so that a misspelt column is not silently
 * ignored. Cells follow RFC 4180: a cell may be quoted, and then holds commas and doubled quotes
 * ({@code "say ""hi"", twice"}); a quote inside an unquoted cell is an error. A line holds one record:
 * quoted cells cannot span lines. A trailing carriage return is ignored, as is a byte-order mark
 * before the header.
 *
 * <p>Values are checked as in the JSON format, with the same messages ({@code field 'kind': ...},
 * {@code missing field 'ts'}). An empty cell is an absent value: no slot, no id; an empty channel is
 * allowed only for HEARTBEAT. A timestamp is an ISO-8601 instant (see {@link Timestamps}) or, CSV
 * having no numbers apart from text, an integer of epoch milliseconds. The {@link EventFormatException}
 * column is the 1-based character position in the line where the cell at fault starts (or, for a
 * timestamp, the character at fault).
 *
 * <p>Thread-safety: immutable once built from the header; safe to share between threads.
 */
public final class CsvEventParser {

    private static final int TS = 0;
    private static final int CHANNEL = 1;
    private static final int KIND = 2;
    private static final int SLOT = 3;
    private static final int ID = 4;
    private static final int SOURCE = 5;
    private static final int NOTE = 6;
    private static final int SIG = 7;
    private static final List<String> NAMES = List.of(EventFields.TS, EventFields.CHANNEL, EventFields.KIND,
            EventFields.SLOT, EventFields.ID, EventFields.SOURCE, EventFields.NOTE, EventFields.SIG);
    private static final int REQUIRED = 3; // the first three names

    /** For each field, the index of its column, or -1. */
    private final int[] columnOf;
    private final List<String> header;

    private CsvEventParser(int[] columnOf, List<String> header) {
        this.columnOf = columnOf;
        this.header = header;
    }

    /**
     * A parser for the lines that follow {@code headerLine}.
     *
     * @throws EventFormatException if the header is empty, names a column twice, names an unknown
     *                              column, or lacks a required one
     */
    public static CsvEventParser fromHeader(String headerLine) throws EventFormatException {
        String line = headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine;
        int shift = headerLine.length() - line.length();
        line = stripCarriageReturn(line);
        if (line.isBlank()) {
            throw new EventFormatException("empty header line", null, 1);
        }
        List<Cell> cells = split(line);
        int[] columnOf = new int[NAMES.size()];
        Arrays.fill(columnOf, -1);
        List<String> header = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            String name = cell.text.strip().toLowerCase(Locale.ROOT);
            int field = NAMES.indexOf(name);
            int column = cell.start + 1 + shift;
            if (field < 0) {
                throw new EventFormatException("unknown column " + EventFields.quoteForMessage(cell.text)
                        + " in header (expected " + String.join(", ", NAMES) + ")", null, column);
            }
            if (columnOf[field] >= 0) {
                throw new EventFormatException("duplicate column '" + name + "' in header", name, column);
            }
            columnOf[field] = i;
            header.add(name);
        }
        for (int field = 0; field < REQUIRED; field++) {
            if (columnOf[field] < 0) {
                throw new EventFormatException("missing column '" + NAMES.get(field) + "' in header",
                        NAMES.get(field), line.length() + 1 + shift);
            }
        }
        return new CsvEventParser(columnOf, List.copyOf(header));
    }

    /** The header's column names, lower case, in order. */
    public List<String> columns() {
        return header;
    }

    /**
     * Parses one record line (without its line terminator).
     *
     * @throws EventFormatException if it is empty, has the wrong number of cells, bad quoting or a bad value
     */
    public CallEvent parse(String line) throws EventFormatException {
        line = stripCarriageReturn(line);
        if (line.isBlank()) {
            throw new EventFormatException("empty line", null, 1);
        }
        List<Cell> cells = split(line);
        if (cells.size() != header.size()) {
            int column = cells.size() > header.size() ? cells.get(header.size()).start + 1 : line.length() + 1;
            throw new EventFormatException("expected " + header.size() + " cells (" + String.join(", ", header)
                    + "), found " + cells.size(), null, column);
        }

        Cell kindCell = cells.get(columnOf[KIND]);
        if (kindCell.text.isEmpty()) {
            throw new EventFormatException(EventFields.missing(EventFields.KIND), EventFields.KIND, kindCell.column());
        }
        EventKind kind = EventFields.kind(kindCell.text);
        if (kind == null) {
            throw new EventFormatException(EventFields.unknownKind(kindCell.text), EventFields.KIND, kindCell.column());
        }
        Cell tsCell = cells.get(columnOf[TS]);
        if (tsCell.text.isEmpty()) {
            throw new EventFormatException(EventFields.missing(EventFields.TS), EventFields.TS, tsCell.column());
        }
        Instant ts = instant(EventFields.TS, tsCell);
        Cell slotCell = cell(cells, SLOT);
        Instant slot = slotCell == null || slotCell.text.isEmpty() ? null : instant(EventFields.SLOT, slotCell);
        Cell channelCell = cells.get(columnOf[CHANNEL]);
        String channel = channelCell.text.isEmpty() ? null : channelCell.text;
        if (channel == null && kind != EventKind.HEARTBEAT) {
            throw new EventFormatException(EventFields.missingChannel(kind), EventFields.CHANNEL, channelCell.column());
        }
        return new CallEvent(channel, kind, ts, slot, optional(cells, ID), optional(cells, SOURCE),
                optional(cells, NOTE), optional(cells, SIG));
    }

    private Cell cell(List<Cell> cells, int field) {
        int index = columnOf[field];
        return index < 0 ? null : cells.get(index);
    }

    private String optional(List<Cell> cells, int field) {
        Cell cell = cell(cells, field);
        return cell == null || cell.text.isEmpty() ? null : cell.text;
    }

    private static Instant instant(String field, Cell cell) throws EventFormatException {
        String text = cell.text;
        if (isInteger(text)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new EventFormatException("field '" + field + "': epoch milliseconds out of range: "
                        + EventFields.quoteForMessage(text), field, cell.column());
            }
        }
        try {
            return Instant.ofEpochMilli(Timestamps.parseMillis(text));
        } catch (TimestampFormatException e) {
            // Point at the character when the cell's text is the line's, that is, without doubled quotes.
            int column = e.position() >= 0 && cell.verbatim ? cell.contentStart + 1 + e.position() : cell.column();
            throw new EventFormatException(EventFields.badTimestamp(field, text, e), field, column, e);
        }
    }

    private static boolean isInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /**
     * One cell: its unquoted text, where it starts in the line (0-based), where its content starts,
     * and whether the content is the line's text unchanged (no doubled quotes).
     */
    private record Cell(String text, int start, int contentStart, boolean verbatim) {
        int column() {
            return start + 1;
        }
    }

    /** Splits a line into cells, RFC 4180 style. */
    private static List<Cell> split(String line) throws EventFormatException {
        List<Cell> cells = new ArrayList<>(8);
        int n = line.length();
        int i = 0;
        for (;;) {
            int start = i;
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                boolean verbatim = true;
                i++;
                for (;;) {
                    if (i >= n) {
                        throw new EventFormatException("unterminated quoted cell", null, start + 1);
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            verbatim = false;
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new EventFormatException("expected ',' after the closing quote of a quoted cell", null,
                            i + 1);
                }
                cells.add(new Cell(sb.toString(), start, start + 1, verbatim));
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                int quote = line.indexOf('"', i);
                if (quote >= 0 && quote < end) {
                    throw new EventFormatException("quote inside an unquoted cell (quote the whole cell and double "
                            + "the quotes inside it)", null, quote + 1);
                }
                cells.add(new Cell(line.substring(i, end), start, start, true));
                i = end;
            }
            if (i >= n) {
                return cells;
            }
            i++; // the comma; a line ending in one ends with an empty cell
        }
    }
}
