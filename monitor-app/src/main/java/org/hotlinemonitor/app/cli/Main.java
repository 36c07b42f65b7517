package org.hotlinemonitor.app.cli;

/** Placeholder until the CLI lands in this change. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("hotline-monitor");
    }
}
