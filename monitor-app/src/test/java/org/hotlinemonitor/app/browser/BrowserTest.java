package org.hotlinemonitor.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The browser's own checks can fail: a page with a console error and a request to another host is seen as such, so
 * that the page tests' "no console errors, no external requests" mean something.
 */
class BrowserTest {

    @Test
    void consoleErrorsAndRequestsToOtherHostsAreSeen() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = """
                <!doctype html><html><head><title>t</title></head><body><p id="p">hello</p>
                <img src="http://example.invalid/pixel.png">
                <script>console.error("broken on purpose");</script></body></html>
                """.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try (Browser browser = Browser.start()) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            browser.open(url);
            assertThat(browser.driver().findElement(org.openqa.selenium.By.id("p")).getText()).isEqualTo("hello");
            assertThat(browser.consoleErrors()).anyMatch(m -> m.contains("broken on purpose"));
            assertThat(browser.requests()).contains(url).anyMatch(u -> u.startsWith("http://example.invalid/"));
            assertThat(browser.screenshot("browser-self-test")).exists().isNotEmptyFile();
        } finally {
            server.stop(0);
        }
    }
}
