package io.turbovbi.jobs.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM the testkit starts: runs {@code args[0]}'s {@code main} with the remaining
 * arguments, and ends the JVM as soon as its standard input reaches end-of-file, which happens when the parent
 * (test) JVM dies for any reason, even {@code kill -9}, since the parent holds the write end of that pipe.
 *
 * <p>The exit goes through {@link System#exit} first, so that a Spark Worker's shutdown hook still kills the
 * executors it launched, and falls back to {@link Runtime#halt} if the hooks hang.
 *
 * <p>This class must stay free of dependencies: {@link ChildJvm} packs it alone into a jar for the children's
 * class path, so that the children never see the test classes.
 */
public final class ParentWatchdog {

    /** Status of a child that ended because its parent went away. */
    static final int PARENT_GONE_STATUS = 143;

    /** How long the shutdown hooks may run before the JVM is halted. */
    private static final long HALT_AFTER_MILLIS = 10_000L;

    private ParentWatchdog() {
    }

    /**
     * Starts the stdin watcher, then runs the wrapped main class.
     *
     * @param args the fully qualified main class, then its arguments
     * @throws Exception whatever the wrapped main throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatchdog <main class> [args...]");
        }
        Thread watcher = new Thread(ParentWatchdog::watchStdin, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        Class<?> mainClass = Class.forName(args[0], false, ClassLoader.getSystemClassLoader());
        Method main = mainClass.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void watchStdin() {
        try {
            while (System.in.read() != -1) {
                // The parent never writes; anything it might write is ignored.
            }
        } catch (java.io.IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(PARENT_GONE_STATUS);
        }, "parent-watchdog-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(PARENT_GONE_STATUS);
    }
}
