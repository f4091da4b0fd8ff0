package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook runs headless on a finished run's output (jupyter nbconvert --execute, Debian's jupyter-nbconvert
 * and python3-ipykernel), so a notebook that no longer matches what the job writes fails the build.
 */
class NotebooksTest {
  private static final Path NOTEBOOKS = Path.of("..", "notebooks");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  private static List<Path> notebooks() throws Exception {
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  @Test
  void notebooksAreCommittedWithoutOutputs() throws Exception {
    List<Path> notebooks = notebooks();
    assertFalse(notebooks.isEmpty());
    for (Path notebook : notebooks) {
      for (JsonNode cell : JSON.readTree(notebook.toFile()).path("cells")) {
        assertEquals(0, cell.path("outputs").size(), notebook + " holds outputs");
      }
    }
  }

  @Test
  void everyNotebookRunsOnAFinishedRun() throws Exception {
    Path data = temp.resolve("data");
    TestRuns.writeIdx(data);
    for (String method : List.of("turbo", "magnitude")) {
      Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve(method).toString());
      settings.put("method", method);
      settings.put("cluster.master", "local[2]");
      assertEquals(0, TestRuns.compress(settings).status());
    }
    Map<String, String> imported = TestRuns.smallRun(data.toString(), temp.resolve("imported").toString());
    imported.remove("network");
    imported.put("network.initial", StartingNetworkJobTest.FIXTURE.toAbsolutePath().toString());
    imported.put("cluster.master", "local[2]");
    assertEquals(0, TestRuns.compress(imported).status());
    List<String> command = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=300", "--output-dir", temp.resolve("executed").toString()));
    notebooks().forEach(notebook -> command.add(notebook.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve("nbconvert.log").toFile());
    builder.environment().put("TURBOVBI_RESULT", temp.resolve("turbo/result").toString());
    builder.environment().put("TURBOVBI_RESULTS", temp.resolve("turbo/result") + "," + temp.resolve(
        "magnitude/result"));
    builder.environment().put("TURBOVBI_ONNX_RESULT", temp.resolve("imported/result").toString());
    builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    long start = System.nanoTime();
    Process process = builder.start();
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "nbconvert did not finish");
    String log = Files.readString(temp.resolve("nbconvert.log"));
    assertEquals(0, process.exitValue(), log);
    System.out.printf("executed %d notebooks in %.1f s%n", notebooks().size(), (System.nanoTime() - start) / 1e9);
    for (Path notebook : notebooks()) {
      JsonNode executed = JSON.readTree(temp.resolve("executed").resolve(notebook.getFileName()).toFile());
      int images = 0;
      for (JsonNode cell : executed.path("cells")) {
        for (JsonNode output : cell.path("outputs")) {
          assertFalse(output.path("output_type").asText().equals("error"), notebook + ": " + output);
          images += output.path("data").has("image/png") ? 1 : 0;
        }
      }
      assertTrue(images > 0, notebook + " drew nothing");
    }
  }
}
