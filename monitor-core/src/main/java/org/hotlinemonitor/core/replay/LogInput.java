package org.hotlinemonitor.core.replay;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * One replay input: a file (gzip-compressed when its name ends in {@code .gz}) or standard input
 * ({@code -}, gzip detected by its magic bytes).
 *
 * @param name   as given by the user; used in rejects and messages
 * @param path   the file, or {@code null} for standard input
 * @param format {@code jsonl} or {@code csv}
 */
public record LogInput(String name, Path path, Format format) {

    /** The line formats replay reads. */
    public enum Format {
        JSONL, CSV;

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "jsonl", "json", "ndjson" -> JSONL;
                case "csv" -> CSV;
                default -> throw new IllegalArgumentException("unknown format '" + s + "' (expected jsonl or csv)");
            };
        }

        /** The format a file name suggests: {@code .csv} or {@code .csv.gz} is CSV, anything else JSON lines. */
        public static Format guess(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return n.endsWith(".csv") || n.endsWith(".csv.gz") ? CSV : JSONL;
        }
    }

    public LogInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
    }

    /** {@code -} for standard input, else a file; {@code format == null}: guessed from the name. */
    public static LogInput of(String name, Format format) {
        Path path = name.equals("-") ? null : Path.of(name);
        return new LogInput(name, path, format != null ? format : Format.guess(name));
    }

    /** The compressed size in bytes, or -1 when unknown (standard input). */
    public long size() {
        try {
            return path == null ? -1 : Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Opens the raw bytes (still compressed); the caller closes. */
    public InputStream openRaw(InputStream stdin) throws IOException {
        return path == null ? stdin : Files.newInputStream(path);
    }

    /** Wraps a raw stream of this input in a gzip decoder when it is compressed. */
    static Decoded decoded(InputStream raw) throws IOException {
        Buffered in = new Buffered(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 != 0x1f || b2 != 0x8b) {
            return new Decoded(in, null);
        }
        try {
            return new Decoded(in, new Gzip(in));
        } catch (IOException e) {
            // A gzip header cut short or corrupt: damage at the start, reported as any later damage is.
            return new Decoded(in, null, e);
        }
    }

    /**
     * An input's bytes, decoded when gzip-compressed, that knows how many of the raw bytes read so far the decoder
     * has not used yet: so that a damaged input can be named by where its decoder stopped.
     */
    static final class Decoded extends FilterInputStream {
        private final Buffered buffered;
        private final Gzip gzip;
        private final IOException badHeader;

        private Decoded(Buffered buffered, Gzip gzip) {
            this(buffered, gzip, null);
        }

        private Decoded(Buffered buffered, Gzip gzip, IOException badHeader) {
            super(gzip != null ? gzip : buffered);
            this.buffered = buffered;
            this.gzip = gzip;
            this.badHeader = badHeader;
        }

        @Override
        public int read() throws IOException {
            if (badHeader != null) {
                throw badHeader;
            }
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (badHeader != null) {
                throw badHeader;
            }
            return super.read(b, off, len);
        }

        boolean compressed() {
            return gzip != null || badHeader != null;
        }

        /** Raw bytes read from the source but not yet used by the decoder (buffered, or waiting in the inflater). */
        long unused() {
            return buffered.unread() + (gzip == null ? 0 : gzip.unread());
        }
    }

    private static final class Buffered extends BufferedInputStream {
        Buffered(InputStream in) {
            super(in, 1 << 16);
        }

        int unread() {
            return Math.max(0, count - pos);
        }
    }

    private static final class Gzip extends GZIPInputStream {
        Gzip(InputStream in) throws IOException {
            super(in, 1 << 16);
        }

        int unread() {
            return inf.getRemaining();
        }
    }

    static UncheckedIOException unreadable(String name, IOException e) {
        return new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
}
