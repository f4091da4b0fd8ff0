package io.turbovbi.jobs.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application jars built at test time hold what they are asked to hold, and nothing of the test tree else. */
class AppJarTest {

    @TempDir
    Path temp;

    @Test
    void classJarHoldsTheClassAndItsNestedClassesOnly() throws IOException {
        Set<String> names = entries(AppJar.create().addClass(ClusterProbeApp.class).write(temp.resolve("a.jar")));
        assertTrue(names.contains("io/turbovbi/jobs/testkit/ClusterProbeApp.class"), names.toString());
        assertTrue(names.contains("io/turbovbi/jobs/testkit/ClusterProbeApp$Losses.class"), names.toString());
        assertFalse(names.contains("io/turbovbi/jobs/testkit/AppJar.class"), names.toString());
    }

    @Test
    void projectJarHoldsJobsAndPipelineClassesButNoTestClasses() throws IOException {
        Set<String> names = entries(AppJar.create().addProjectClasses().write(temp.resolve("p.jar")));
        assertTrue(names.contains("io/turbovbi/jobs/Launcher.class"), "jobs classes");
        assertTrue(names.stream().anyMatch(n -> n.startsWith("io/turbovbi/nn/")), "pipeline classes");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("io/turbovbi/jobs/testkit/")), "no test classes");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("org/apache/spark/")), "no dependencies");
    }

    private static Set<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).collect(Collectors.toSet());
        }
    }
}
