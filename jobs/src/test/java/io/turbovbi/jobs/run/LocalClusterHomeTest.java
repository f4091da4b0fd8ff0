package io.turbovbi.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterHomeTest {
  @TempDir
  Path temp;

  @Test
  void followsManifestClassPathsRelativeAndAbsoluteEachEntryOnce() throws IOException {
    Path lib = Files.createDirectories(temp.resolve("app/lib"));
    Path first = emptyJar(lib.resolve("first.jar"), null);
    Path elsewhere = emptyJar(temp.resolve("elsewhere.jar"), null);
    Path app = emptyJar(temp.resolve("app/app.jar"),
        "lib/first.jar lib/missing.jar " + elsewhere.toUri() + " lib/first.jar");
    Path classes = Files.createDirectories(temp.resolve("classes"));

    List<Path> entries = LocalClusterHome.classPath(app + File.pathSeparator + classes + File.pathSeparator + first);

    assertEquals(List.of(app, first, elsewhere, classes), entries);
  }

  @Test
  void linksTheJarsAndHandsClassFoldersToTheExecutors() throws IOException {
    LocalClusterHome home = LocalClusterHome.create(temp.resolve("home"));

    try (var links = Files.list(home.home().resolve("jars"))) {
      List<Path> jars = links.toList();
      assertTrue(jars.stream().anyMatch(link -> link.getFileName().toString().contains("spark-core")), jars::toString);
      assertTrue(jars.stream().allMatch(Files::isSymbolicLink));
    }
    // Under Maven the project's classes are folders, which a jars/* class path cannot hold.
    assertTrue(home.executorExtraClassPath().contains("classes"), home.executorExtraClassPath());
    Path someJar = LocalClusterHome.classPath(System.getProperty("java.class.path")).stream()
        .filter(Files::isRegularFile).findFirst().orElseThrow();
    LocalClusterHome.delete(home.home());
    assertTrue(Files.notExists(home.home()));
    assertTrue(Files.isRegularFile(someJar), "the links were deleted, not the jars they point to");
  }

  private static Path emptyJar(Path file, String classPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    return file;
  }
}
