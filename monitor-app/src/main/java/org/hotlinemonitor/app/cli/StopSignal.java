package org.hotlinemonitor.app.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a command that runs until stopped ({@code broker}, {@code run}, {@code produce}, {@code detect}, {@code demo}) end cleanly on SIGTERM or Ctrl-C, with
 * its own exit code (0 when it closed everything).
 *
 * <p>On those signals the JVM runs its shutdown hooks and then exits with 128 + the signal number (143, 130), and a
 * {@code System.exit} meanwhile blocks forever. So the hook installed here cleans nothing itself: it wakes the
 * command ({@link #await()} returns), waits until {@link #exit} receives the command's exit code from
 * {@link Main#main} (the command closed its resources and returned, or failed and its error was printed), and halts
 * the JVM with that code. The clean-up stays where the resources are owned: try-with-resources on the command's
 * thread. Halting skips other shutdown hooks still running; this process registers none besides this one.
 *
 * <p>Use it as the outermost resource: {@code try (StopSignal stop = StopSignal.install(); Broker b = ...) {
 * ...; stop.await(); }}.
 */
final class StopSignal implements AutoCloseable {

    /** How long the hook waits for the command to clean up before it halts with {@link ExitCodes#FAILURE}. */
    static final Duration CLEAN_UP_LIMIT = Duration.ofSeconds(60);

    private static final CompletableFuture<Integer> EXIT_CODE = new CompletableFuture<>();

    private final CountDownLatch requested = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "stop-signal");

    private StopSignal() {
    }

    /** Registers the shutdown hook; {@link #close()} removes it if no stop was asked. */
    static StopSignal install() {
        StopSignal stop = new StopSignal();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C, or {@code System.exit} elsewhere). */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Like {@link #await()}, at most {@code timeout}: true if a stop was asked, false on timeout. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onShutdown() {
        requested.countDown();
        int code;
        try {
            code = EXIT_CODE.get(CLEAN_UP_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("error: not stopped cleanly within " + CLEAN_UP_LIMIT.toSeconds() + " s; halting");
            code = ExitCodes.FAILURE;
        } catch (InterruptedException | ExecutionException e) {
            code = ExitCodes.FAILURE;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Removes the hook when the command ends by itself; while the JVM shuts down the hook stays, waiting for {@link #exit}. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it halts with the code given to exit().
        }
    }

    /** Ends the process with {@code code}: at once, or through a stop hook that is waiting for it. */
    static void exit(int code) {
        EXIT_CODE.complete(code);
        System.exit(code);
    }
}
