package io.turbovbi.jobs.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds an application jar at test time, for {@link SparkSubmitRunner}: the classes it holds are the only
 * application classes the driver and the executors of a submitted application see.
 *
 * <pre>{@code
 * Path jar = AppJar.create()
 *     .addClass(MyTestApp.class)                 // with its nested and anonymous classes (MyTestApp$*.class)
 *     .addTree(Path.of("target/classes"))        // a class folder or another jar, copied whole
 *     .addProjectClasses()                       // or: the project's own classes, as in the shaded jar
 *     .write(tempDir.resolve("app.jar"));
 * }</pre>
 *
 * <p>{@link #addClass} takes the class file from the folder or jar the class was loaded from (under Maven,
 * {@code target/test-classes}); it does not follow dependencies, so add every class the application needs, or
 * the folder that holds them. The first entry of a given name wins; duplicate names are skipped.
 */
public final class AppJar {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private AppJar() {
    }

    /** @return an empty jar builder */
    public static AppJar create() {
        return new AppJar();
    }

    /**
     * Adds a class and every class nested in it ({@code Outer$*.class}, lambdas live in their enclosing class).
     *
     * @param type a class loaded from a class folder or a jar
     * @return this builder
     */
    public AppJar addClass(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String resource = top.getName().replace('.', '/');
        String packageDir = resource.contains("/") ? resource.substring(0, resource.lastIndexOf('/') + 1) : "";
        String simple = resource.substring(packageDir.length());
        Path source = codeSource(top);
        try {
            if (Files.isDirectory(source)) {
                Path dir = source.resolve(packageDir);
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, simple + ".class")) {
                    for (Path file : files) {
                        put(packageDir + file.getFileName(), Files.readAllBytes(file));
                    }
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, simple + "$*.class")) {
                    for (Path file : files) {
                        put(packageDir + file.getFileName(), Files.readAllBytes(file));
                    }
                }
            } else {
                copyJar(source, name -> name.equals(resource + ".class")
                        || name.startsWith(resource + "$") && name.endsWith(".class"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class files of " + top.getName(), e);
        }
        if (!entries.containsKey(resource + ".class")) {
            throw new IllegalStateException("no class file for " + top.getName() + " under " + source);
        }
        return this;
    }

    /**
     * Adds every file of a class folder (paths relative to it), or every entry of a jar except its manifest and
     * signatures.
     *
     * @param folderOrJar a folder such as {@code target/classes}, or a jar
     * @return this builder
     */
    public AppJar addTree(Path folderOrJar) {
        try {
            if (Files.isDirectory(folderOrJar)) {
                try (Stream<Path> files = Files.walk(folderOrJar)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        String name = folderOrJar.relativize(file).toString().replace('\\', '/');
                        put(name, Files.readAllBytes(file));
                    }
                }
            } else {
                copyJar(folderOrJar, name -> !name.startsWith("META-INF/MANIFEST.MF") && !isSignature(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folderOrJar, e);
        }
        return this;
    }

    /**
     * Adds this project's main classes and resources as the test class path holds them: every class folder but
     * {@code test-classes} (under Maven {@code jobs/target/classes}, and {@code pipeline/target/classes} in a
     * reactor build) and every {@code turbovbi-*} jar (the pipeline jar from the local repository with {@code -pl
     * jobs}). That is what the shaded {@code *-spark.jar} holds, but built from what this test run compiled, so it
     * is never stale nor missing (Surefire runs before {@code package}).
     *
     * @return this builder
     * @throws IllegalStateException when the class path holds no project classes
     */
    public AppJar addProjectClasses() {
        int added = 0;
        for (Path entry : ChildJvm.testClasspath()) {
            String name = entry.getFileName() == null ? "" : entry.getFileName().toString();
            boolean classFolder = Files.isDirectory(entry) && !name.equals("test-classes");
            boolean projectJar = Files.isRegularFile(entry) && name.startsWith("turbovbi-") && name.endsWith(".jar");
            if (classFolder || projectJar) {
                addTree(entry);
                added++;
            }
        }
        if (added == 0) {
            throw new IllegalStateException("no project classes on the class path " + ChildJvm.testClasspath());
        }
        return this;
    }

    /**
     * Writes the jar (with a plain manifest, no Main-Class: SparkSubmit gets {@code --class}).
     *
     * @param target where to write it; parent folders are created
     * @return {@code target}
     */
    public Path write(Path target) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            try (OutputStream file = Files.newOutputStream(target);
                 JarOutputStream jar = new JarOutputStream(file, manifest)) {
                Set<String> dirs = new HashSet<>();
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    String name = entry.getKey();
                    for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                        String dir = name.substring(0, slash + 1);
                        if (dirs.add(dir) && !dir.equals("META-INF/")) {
                            jar.putNextEntry(new JarEntry(dir));
                            jar.closeEntry();
                        }
                    }
                    jar.putNextEntry(new JarEntry(name));
                    jar.write(entry.getValue());
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return target;
    }

    /** @return the names of the entries added so far, in order */
    public Set<String> entryNames() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /**
     * The folder or jar a class was loaded from.
     *
     * @param type any class loaded from the file system
     * @return its code source as a path
     */
    static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from", e);
        }
    }

    private void put(String name, byte[] content) {
        entries.putIfAbsent(name, content);
    }

    private void copyJar(Path jarFile, Predicate<String> keep) throws IOException {
        try (InputStream file = Files.newInputStream(jarFile); JarInputStream jar = new JarInputStream(file)) {
            for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                if (!entry.isDirectory() && keep.test(entry.getName())) {
                    put(entry.getName(), jar.readAllBytes());
                }
            }
        }
    }

    private static boolean isSignature(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".DSA")
                || upper.endsWith(".RSA") || upper.endsWith(".EC"));
    }
}
