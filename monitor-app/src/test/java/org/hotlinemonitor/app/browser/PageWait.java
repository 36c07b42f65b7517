package org.hotlinemonitor.app.browser;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.WebDriverException;

/** Waits on a page in the browser: a condition polled every 100 ms, a failure naming what was awaited. */
final class PageWait {

    private PageWait() {
    }

    /** Waits until {@code condition} holds (a {@link WebDriverException} meanwhile counts as "not yet"). */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        WebDriverException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (WebDriverException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what, last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits until the status page has drawn the status at least {@code updates} times since it was opened. */
    static void drawn(Browser browser, int updates, Duration timeout) {
        until("the status page to draw the status " + updates + " time(s)", timeout, () -> {
            Object n = browser.driver().executeScript("return window.hotlineStatus ? window.hotlineStatus.updates : 0");
            return ((Number) n).intValue() >= updates;
        });
    }
}
