package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.config.ConfigKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README cannot go stale: its key table is the code's, and its first code block holds the two set-up commands. */
class ReadmeTest {
  private static final Path README = Path.of("..", "README.md");

  @Test
  void configurationTableIsTheOneTheCodeGenerates() throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("<!-- keys:start -->\n");
    int end = readme.indexOf("<!-- keys:end -->");
    assertTrue(start >= 0 && end > start, "README has no key table markers");
    assertEquals(ConfigKeys.markdownTable(), readme.substring(start + "<!-- keys:start -->\n".length(), end),
        "regenerate it with: java -jar jobs/target/turbovbi.jar keys --markdown");
  }

  @Test
  void firstCodeBlockHoldsTheTwoSetUpCommands() throws Exception {
    List<String> lines = Files.readAllLines(README);
    int open = lines.indexOf("```");
    int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
    List<String> commands = lines.subList(open + 1, close);
    assertEquals(2, commands.size(), commands.toString());
    assertTrue(commands.get(0).contains("java -jar jobs/target/turbovbi.jar compress --conf conf/demo.properties"));
    assertTrue(commands.get(1).endsWith("mvn -B verify"));
    String ci = Files.readString(Path.of("..", ".ci", "run"));
    assertTrue(ci.contains(commands.get(1)), ".ci/run must run the README's test command");
  }
}
