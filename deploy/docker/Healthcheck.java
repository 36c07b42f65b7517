// The container's health check (deploy/docker/Dockerfile's HEALTHCHECK): exit 0 when the monitor in this container
// is ready, 1 when not, with one line saying why. JRE images have no curl or wget, and no compiler for Java's
// single-file source launcher, so the image's build stage compiles this file with javac and the runtime stage runs
// the class: `java -cp /opt/hotline-monitor/healthcheck Healthcheck` (about 0.2 s and 20 MB, for a moment).
//
// What it asks, on 127.0.0.1 at HOTLINE_HTTP_PORT (default 9400), over HTTPS when HOTLINE_HTTP_TLS_CERT is set
// (the certificate is not checked: it is this container's own server, on loopback):
//   - GET /readyz (run): 200 is ready; 503 is not, its reasons printed.
//   - 404 there (detect and notify serve /metrics only): GET /metrics; ready when it answers 200 and its
//     hotline_ready sample, if it has one (detect), is 1.
// `produce` serves no HTTP: give its container no health check (compose: `healthcheck: disable: true`).
// Only the JDK is used, and nothing of the monitor's jar, so that the check stays cheap and cannot break with it.
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public final class Healthcheck {

    private static final int TIMEOUT_MS = 4000;

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("HOTLINE_HTTP_PORT", "");
        if (port.isBlank()) {
            port = "9400";
        }
        String tls = System.getenv().getOrDefault("HOTLINE_HTTP_TLS_CERT", "");
        String base = (tls.isBlank() ? "http" : "https") + "://127.0.0.1:" + port;
        try {
            Answer ready = get(base + "/readyz");
            if (ready.status == 200) {
                System.out.println("ready: " + ready.body.strip());
                System.exit(0);
            }
            if (ready.status != 404) {
                System.out.println("not ready: /readyz answered " + ready.status + " " + ready.body.strip());
                System.exit(1);
            }
            Answer metrics = get(base + "/metrics?name[]=hotline_ready");
            if (metrics.status != 200) {
                System.out.println("not ready: /metrics answered " + metrics.status);
                System.exit(1);
            }
            for (String line : metrics.body.split("\n")) {
                if (line.startsWith("hotline_ready ") || line.startsWith("hotline_ready{")) {
                    String value = line.substring(line.lastIndexOf(' ') + 1).strip();
                    if (Double.parseDouble(value) == 1.0) {
                        System.out.println("ready: hotline_ready 1");
                        System.exit(0);
                    }
                    System.out.println("not ready: hotline_ready " + value);
                    System.exit(1);
                }
            }
            System.out.println("alive: /metrics answers (this command reports no readiness)");
            System.exit(0);
        } catch (IOException | RuntimeException e) {
            System.out.println("not ready: " + base + " does not answer: " + e);
            System.exit(1);
        }
    }

    private record Answer(int status, String body) {
    }

    private static Answer get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        if (c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(trustAll());
            https.setHostnameVerifier((host, session) -> true);
        }
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, body);
        } finally {
            c.disconnect();
        }
    }

    private static javax.net.ssl.SSLSocketFactory trustAll() {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {any}, new SecureRandom());
            return ssl.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
