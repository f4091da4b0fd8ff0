package io.turbovbi.jobs.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The SPARK_HOME a {@code local-cluster[workers,cores,MB]} master needs: Spark's standalone Master and Workers run
 * inside the driver JVM, and each Worker launches its executors as JVMs of their own with {@code SPARK_HOME/jars/*}
 * as class path. There is no Spark installation here, so the folder links every jar of this JVM's class path (a
 * jar's manifest {@code Class-Path} followed, as {@code java -jar turbovbi.jar} runs); class folders, which a
 * {@code jars/*} class path cannot hold, go to the executors through {@code spark.executor.extraClassPath}.
 */
public final class LocalClusterHome {
  /** Scala version of the Spark build, which a Worker's executor command builder asks for. */
  public static final String SCALA_VERSION = "2.13";
  private final Path home;
  private final List<Path> jars;
  private final List<Path> folders;

  private LocalClusterHome(Path home, List<Path> jars, List<Path> folders) {
    this.home = home;
    this.jars = jars;
    this.folders = folders;
  }

  /** Lays out {@code home}/jars (symbolic links) and an empty {@code home}/conf for this JVM's class path. */
  public static LocalClusterHome create(Path home) {
    List<Path> entries = classPath(System.getProperty("java.class.path"));
    List<Path> jars = entries.stream().filter(Files::isRegularFile).toList();
    List<Path> folders = entries.stream().filter(Files::isDirectory).toList();
    try {
      Path jarFolder = home.resolve("jars");
      delete(jarFolder); // links of an earlier class path would put two versions of a jar before the executors
      Files.createDirectories(jarFolder);
      Files.createDirectories(home.resolve("conf"));
      for (int i = 0; i < jars.size(); i++) {
        Files.createSymbolicLink(jarFolder.resolve(i + "-" + jars.get(i).getFileName()), jars.get(i).toAbsolutePath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out a SPARK_HOME in " + home, e);
    }
    return new LocalClusterHome(home, jars, folders);
  }

  public Path home() {
    return home;
  }

  /** This JVM's class path (jars and folders), for a child JVM's {@code -cp}. */
  public String classPathArgument() {
    List<String> all = new ArrayList<>();
    jars.forEach(jar -> all.add(jar.toString()));
    folders.forEach(folder -> all.add(folder.toString()));
    return String.join(File.pathSeparator, all);
  }

  /** The class folders of this JVM's class path, for {@code spark.executor.extraClassPath} (empty from the jar). */
  public String executorExtraClassPath() {
    return String.join(File.pathSeparator, folders.stream().map(Path::toString).toList());
  }

  /** Deletes a folder (made by {@link #create}, or any other) if it exists; links are deleted, never followed. */
  public static void delete(Path home) {
    if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(home)) {
      for (Path path : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("warning: cannot delete " + home + ": " + e.getMessage());
    }
  }

  /** A class path's existing entries, jars' manifest {@code Class-Path} entries expanded, each once. */
  static List<Path> classPath(String javaClassPath) {
    Set<Path> seen = new LinkedHashSet<>();
    for (String entry : javaClassPath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        add(Path.of(entry).toAbsolutePath().normalize(), seen);
      }
    }
    return List.copyOf(seen);
  }

  private static void add(Path entry, Set<Path> seen) {
    if (!Files.exists(entry) || !seen.add(entry) || !Files.isRegularFile(entry)) {
      return;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath == null) {
        return;
      }
      for (String relative : classPath.trim().split("\\s+")) {
        if (!relative.isEmpty()) {
          add(resolve(entry.getParent(), relative), seen);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + entry, e);
    }
  }

  /** A manifest entry: a URL relative to the jar's folder (Maven's {@code lib/x.jar}) or absolute (Surefire's). */
  private static Path resolve(Path folder, String entry) {
    URI uri = folder.toUri().resolve(entry);
    return Path.of(uri).toAbsolutePath().normalize();
  }
}
