package org.hotlinemonitor.app.cli;

import org.hotlinemonitor.app.metrics.MetricsServer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --http-port} and {@code --http-host}: where the HTTP server (/metrics, and the HTTP API) listens. Each also
 * an environment variable; an empty one counts as unset.
 */
final class HttpOptions {

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:HOTLINE_HTTP_PORT}",
            description = "Port of the HTTP server (/metrics); 0 for any free port. Env: HOTLINE_HTTP_PORT. Default: "
                    + MetricsServer.DEFAULT_PORT + ".")
    String port;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:HOTLINE_HTTP_HOST}",
            description = "Address the HTTP server binds. Env: HOTLINE_HTTP_HOST. Default: every interface.")
    String host;

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
}
