package io.turbovbi.jobs.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Starts and stops the child JVMs of the testkit, and knows the class path and JVM options they get.
 *
 * <p>Leaks are made impossible three ways: every child started here is registered and killed (with its
 * descendants, e.g. a Worker's executors) by a JVM shutdown hook; every child runs under {@link ParentWatchdog},
 * which ends it when the test JVM dies even by {@code kill -9}; and the fixtures kill their children on close.
 */
final class ChildJvm {

    /** Loopback address every child binds to. */
    static final String LOOPBACK = "127.0.0.1";

    /** System property (set by the jobs pom's surefire configuration) with the parent pom's spark.jvm.options. */
    static final String JVM_OPTIONS_PROPERTY = "turbovbi.spark.jvm.options";

    /** File names (prefixes) of test-only jars kept off the children's class path. */
    private static final List<String> TEST_ONLY_JARS = List.of("junit-", "opentest4j-", "apiguardian-",
            "surefire-", "common-java5-", "hadoop-client-minicluster-", "archunit-");

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static volatile Path watchdogJar;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process process : List.copyOf(LIVE)) {
                try {
                    killTree(process);
                } catch (RuntimeException e) {
                    System.err.println("testkit: " + e.getMessage());
                }
            }
        }, "testkit-child-reaper"));
    }

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} in a new JVM under {@link ParentWatchdog}.
     *
     * @param jvmOptions options before the class path (heap, add-opens, system properties)
     * @param classpath  the class path (the watchdog jar is appended)
     * @param mainClass  the class whose main runs
     * @param args       its arguments
     * @param env        variables added to (or replacing those of) the test JVM's environment
     * @param stdout     file for standard output
     * @param stderr     file for standard error, or {@code null} to merge it into {@code stdout}
     * @return the running process, registered for the shutdown hook
     */
    static Process start(List<String> jvmOptions, List<Path> classpath, String mainClass, List<String> args,
                         Map<String, String> env, Path stdout, Path stderr) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        List<Path> fullClasspath = new ArrayList<>(classpath);
        fullClasspath.add(watchdogJar());
        command.add("-cp");
        command.add(fullClasspath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(ParentWatchdog.class.getName());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectOutput(stdout.toFile());
        if (stderr == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(stderr.toFile());
        }
        // stdin stays a pipe whose write end this JVM holds: its end-of-file tells the watchdog we are gone.
        try {
            Process process = builder.start();
            LIVE.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * Kills a process and all its descendants at once ({@code SIGKILL}) and waits until they are gone.
     *
     * @param process a process started by {@link #start}
     */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 1L), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // Reported below if still alive.
            }
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed.
        }
        LIVE.remove(process);
        List<Long> survivors = tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("processes still alive after SIGKILL: " + survivors);
        }
    }

    /** @return the {@code java} of the running JVM */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return the running JVM's home, for children that launch JVMs themselves (a Worker's executors) */
    static String javaHome() {
        return System.getProperty("java.home");
    }

    /**
     * The test JVM's class path: under Surefire {@code surefire.test.class.path} (its {@code java.class.path} may
     * be a manifest-only jar), elsewhere {@code java.class.path}.
     *
     * @return its entries, in order
     */
    static List<Path> testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null || classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
    }

    /**
     * The class path of a Spark installation as the children see it: the test class path's jars less this
     * project's own classes (folders, {@code turbovbi-*} jars: they must come from the application jar, as with a
     * real spark-submit) and less test-only jars (JUnit, Surefire, the HDFS minicluster).
     *
     * @return the jars, in class path order
     */
    static List<Path> sparkClasspath() {
        return testClasspath().stream()
                .filter(Files::isRegularFile)
                .filter(path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                .filter(path -> {
                    String name = path.getFileName().toString();
                    return !name.startsWith("turbovbi-") && TEST_ONLY_JARS.stream().noneMatch(name::startsWith);
                })
                .toList();
    }

    /**
     * JVM options Spark needs on Java 17: the parent pom's {@code spark.jvm.options} (handed to the tests as
     * system property {@value #JVM_OPTIONS_PROPERTY}), or Spark's own launcher list when run outside Maven.
     *
     * @return the options, one per element
     */
    static List<String> sparkJvmOptions() {
        String options = System.getProperty(JVM_OPTIONS_PROPERTY);
        if (options == null || options.isBlank() || options.startsWith("${")) {
            return List.of(JavaModuleOptions.defaultModuleOptionArray());
        }
        return Arrays.stream(options.trim().split("\\s+")).toList();
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago (another process may still take it: callers retry).
     *
     * @return the port number
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    /**
     * The last lines of a text file, for error messages.
     *
     * @param file  a log file (missing or unreadable files give a note instead)
     * @param lines how many lines
     * @return the lines, each prefixed with {@code "  | "}
     */
    static String tail(Path file, int lines) {
        if (file == null || !Files.exists(file)) {
            return "  | (no file " + file + ")";
        }
        Deque<String> last = new ArrayDeque<>();
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return "  | (cannot read " + file + ": " + e.getMessage() + ")";
        }
        if (last.isEmpty()) {
            return "  | (empty)";
        }
        return last.stream().map(line -> "  | " + line).collect(Collectors.joining("\n"));
    }

    /** @return whether the testkit keeps its temporary folders (system property {@code turbovbi.testkit.keep}) */
    static boolean keepTempFiles() {
        return Boolean.getBoolean("turbovbi.testkit.keep");
    }

    private static Path watchdogJar() {
        Path jar = watchdogJar;
        if (jar == null) {
            synchronized (ChildJvm.class) {
                jar = watchdogJar;
                if (jar == null) {
                    try {
                        jar = Files.createTempFile("turbovbi-watchdog-", ".jar");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    AppJar.create().addClass(ParentWatchdog.class).write(jar);
                    jar.toFile().deleteOnExit();
                    watchdogJar = jar;
                }
            }
        }
        return jar;
    }
}
