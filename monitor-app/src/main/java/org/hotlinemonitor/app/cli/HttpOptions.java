package org.hotlinemonitor.app.cli;

import org.hotlinemonitor.app.metrics.MetricsServer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --http-port} and {@code --http-host}: where the HTTP server (/metrics, and the HTTP API) listens;
 * {@code --http-tls-cert} and {@code --http-tls-key}: HTTPS instead of HTTP. Each also an environment variable; an
 * empty one counts as unset.
 */
final class HttpOptions {

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:HOTLINE_HTTP_PORT}",
            description = "Port of the HTTP server (/metrics; for run also the HTTP API and the status page at /); 0 for any free port. Env: HOTLINE_HTTP_PORT. Default: "
                    + MetricsServer.DEFAULT_PORT + ".")
    String port;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:HOTLINE_HTTP_HOST}",
            description = "Address the HTTP server binds. Env: HOTLINE_HTTP_HOST. Default: every interface.")
    String host;

    @Option(names = "--http-tls-cert", paramLabel = "FILE", defaultValue = "${env:HOTLINE_HTTP_TLS_CERT}",
            description = "Serve HTTPS (only) with this PEM certificate (the server's first, then intermediates); with "
                    + "--http-tls-key. Env: HOTLINE_HTTP_TLS_CERT. Default: plain HTTP.")
    String tlsCert;

    @Option(names = "--http-tls-key", paramLabel = "FILE", defaultValue = "${env:HOTLINE_HTTP_TLS_KEY}",
            description = "The certificate's private key: PEM, PKCS#8, unencrypted (BEGIN PRIVATE KEY). Env: HOTLINE_HTTP_TLS_KEY.")
    String tlsKey;

    /** The port asked for, or {@code defaultPort}; a usage error naming the option when it is not a port. */
    int port(CommandLine commandLine, int defaultPort) {
        if (port == null || port.isBlank()) {
            return defaultPort;
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(commandLine,
                "--http-port (or HOTLINE_HTTP_PORT) must be a port, 0 to 65535, was '" + port + "'");
    }

    String host() {
        return host == null || host.isBlank() ? null : host.trim();
    }

    /**
     * The TLS context of {@code --http-tls-cert} and {@code --http-tls-key}, or {@code null} for plain HTTP; a usage
     * error when only one is given, a bad-input error naming the file when they cannot be used.
     */
    javax.net.ssl.SSLContext tls(CommandLine commandLine) {
        boolean cert = tlsCert != null && !tlsCert.isBlank();
        boolean key = tlsKey != null && !tlsKey.isBlank();
        if (cert != key) {
            throw new CommandLine.ParameterException(commandLine, "--http-tls-cert and --http-tls-key go together; "
                    + (cert ? "--http-tls-key" : "--http-tls-cert") + " is missing");
        }
        if (!cert) {
            return null;
        }
        try {
            return org.hotlinemonitor.app.http.TlsFiles.serverContext(java.nio.file.Path.of(tlsCert.trim()),
                    java.nio.file.Path.of(tlsKey.trim()));
        } catch (org.hotlinemonitor.app.http.TlsFiles.Invalid e) {
            throw new Main.BadInput("cannot serve HTTPS: " + e.getMessage(), e);
        }
    }
}
