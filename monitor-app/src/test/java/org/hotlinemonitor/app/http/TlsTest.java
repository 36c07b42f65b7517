package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server with TLS from PEM files, as {@code --http-tls-cert}/{@code --http-tls-key} start it: the API and
 * {@code /metrics} over HTTPS to a client that trusts the certificate; plain HTTP and untrusting clients fail. The
 * certificates are made by the JDK's keytool, then written out as PEM.
 */
@org.junit.jupiter.api.Tag("integration")
class TlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static Path otherKey;
    static KeyStore trusted;

    @BeforeAll
    static void certificates() throws Exception {
        KeyStore server = keytool("server", "EC");
        cert = pem(dir.resolve("cert.pem"), "CERTIFICATE", server.getCertificate("server").getEncoded());
        key = pem(dir.resolve("key.pem"), "PRIVATE KEY", server.getKey("server", PASSWORD).getEncoded());
        KeyStore other = keytool("other", "RSA");
        otherKey = pem(dir.resolve("other-key.pem"), "PRIVATE KEY", other.getKey("other", PASSWORD).getEncoded());
        trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", server.getCertificate("server"));
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, valid two days, in a PKCS#12 store of its own. */
    static KeyStore keytool(String alias, String algorithm) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", algorithm, "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool ends").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    static HttpClient trustingClient() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void theApiAndMetricsAnswerOverHttpsAndPlainHttpFails() throws Exception {
        List<CallEvent> published = new CopyOnWriteArrayList<>();
        Api api = new Api(ApiTest.CONFIG, ApiAccess.single(new Secret("HOTLINE_API_TOKEN", ApiTest.TOKEN), false), new DetectorView(),
                () -> true, java.util.Optional::empty, event -> {
                    published.add(event);
                    return new CallPublisher.Written("hotline.events", 0, 0);
                }, new AlertLog(10), new SilenceStore(List.of()), Clock.fixed(Instant.parse("2023-04-07T08:30:00Z"), ZoneOffset.UTC));
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry(), TlsFiles.serverContext(cert, key), true)) {
            server.api(api.handler());
            String base = "https://127.0.0.1:" + server.port();
            assertThat(server.metricsUri()).hasToString(base + "/metrics");
            HttpClient client = trustingClient();

            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));
            HttpResponse<String> recorded = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/calls"))
                    .header("Authorization", "Bearer " + ApiTest.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(202);
            assertThat(published).singleElement().extracting(CallEvent::source).isEqualTo("api-token");
            HttpResponse<String> scraped = client.send(HttpRequest.newBuilder(server.metricsUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("# HELP");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Throwable refused = catchThrowable(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/healthz")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            assertThat(refused).as("plain HTTP on the TLS port").isInstanceOf(IOException.class);

            Throwable untrusted = catchThrowable(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            assertThat(untrusted).as("a client that does not trust the certificate").isInstanceOf(SSLHandshakeException.class);
            assertThat(published).hasSize(1);
        }
    }

    @Test
    void unusableFilesAreRefusedNamingTheFile() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThat(catchThrowableOfType(TlsFiles.Invalid.class, () -> TlsFiles.serverContext(cert, pkcs1)).getMessage())
                .isEqualTo(pkcs1 + ": BEGIN RSA PRIVATE KEY is not read here; convert the key to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + pkcs1
                        + " -out key.pem");
        assertThat(catchThrowableOfType(TlsFiles.Invalid.class, () -> TlsFiles.serverContext(empty, key)).getMessage())
                .isEqualTo(empty + ": no -----BEGIN CERTIFICATE----- block");
        assertThat(catchThrowableOfType(TlsFiles.Invalid.class, () -> TlsFiles.serverContext(cert, otherKey)).getMessage())
                .isEqualTo(otherKey + ": this key does not belong to the certificate in " + cert + " (CN=localhost)");
        assertThat(catchThrowableOfType(TlsFiles.Invalid.class, () -> TlsFiles.serverContext(cert, dir.resolve("missing.pem"))).getMessage())
                .startsWith(dir.resolve("missing.pem") + ": cannot read");
    }
}
