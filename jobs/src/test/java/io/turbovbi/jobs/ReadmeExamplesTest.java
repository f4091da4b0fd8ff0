package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java programs compile against the project as it is, so they cannot drift from its API. */
class ReadmeExamplesTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

  @TempDir
  Path temp;

  @Test
  void everyJavaProgramInTheReadmeCompiles() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> sources = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    while (block.find()) {
      Matcher name = CLASS_NAME.matcher(block.group(1));
      assertTrue(name.find(), "a Java block without a public class:\n" + block.group(1));
      Path file = temp.resolve(name.group(1) + ".java");
      Files.writeString(file, block.group(1));
      sources.add(file.toString());
    }
    assertEquals(2, sources.size(), "the README's Java programs: predicting with a saved model, running the ONNX file");
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", temp.resolve("classes").toString(), "-classpath",
        System.getProperty("java.class.path")));
    args.addAll(sources);
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = compiler.run(null, null, errors, args.toArray(new String[0]));
    assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
  }
}
