package org.hotlinemonitor.app.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library will not send: malformed escapes and lengths, half
 * requests, many keep-alive requests on one connection. Not thread-safe; one per connection.
 */
final class RawHttp implements AutoCloseable {

    record Reply(int status, Map<String, String> headers, String body) {
        /** A header by its lower-case name, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(15_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code text} as it is (ISO-8859-1), without waiting for anything. */
    RawHttp write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends a whole request and reads its reply ({@code head}: a reply to HEAD, without a body). */
    Reply exchange(String request, boolean head) throws IOException {
        write(request);
        return read(head);
    }

    /** One request on a connection of its own, closed after. */
    static Reply once(int port, String request) throws IOException {
        try (RawHttp c = new RawHttp(port)) {
            return c.exchange(request, request.startsWith("HEAD "));
        }
    }

    /** Reads one reply: status line, headers, then the body by Content-Length, chunks, or to the end of the stream. */
    Reply read(boolean head) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!head && status != 204 && status != 304) {
            String length = headers.get("content-length");
            if (length != null) {
                body.write(in.readNBytes(Integer.parseInt(length)));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else {
                in.transferTo(body);
            }
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** Whether the server closed the connection: reads (and drops) whatever it still sends until the end of the stream. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // a 408 or the like, before the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed after '" + b + "'");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
