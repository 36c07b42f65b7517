package org.hotlinemonitor.app.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A local HTTP receiver for the sink tests: {@link HttpServer} on a free loopback port, recording every request
 * and answering as {@link #answer} says (200 by default).
 */
final class Receiver implements AutoCloseable {

    /** A request as received: header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer to give. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    private final List<Request> all = new ArrayList<>();
    /** How to answer the n-th request (from 0) and the request itself. */
    volatile AnswerFunction answer = (n, r) -> Answer.status(200);

    interface AnswerFunction {
        Answer answer(int n, Request request);
    }

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
                Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                        in.readAllBytes());
                int n;
                synchronized (all) {
                    n = all.size();
                    all.add(request);
                }
                Answer a = answer.answer(n, request);
                a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                out.write(body);
                received.add(request);
            }
        });
        server.start();
    }

    /** {@code http://127.0.0.1:<port>} plus {@code path}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next request, waiting up to {@code wait}; fails if none comes. */
    Request take(Duration wait) throws InterruptedException {
        Request r = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no request within " + wait);
        }
        return r;
    }

    /** Every request so far. */
    List<Request> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Answers with {@code f} applied to the request count. */
    void answer(Function<Integer, Answer> f) {
        answer = (n, r) -> f.apply(n);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
