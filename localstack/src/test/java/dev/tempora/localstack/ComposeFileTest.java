package dev.tempora.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pinned image, read from the compose file, is the one the README promises. */
class ComposeFileTest {
  private static final Path MODULE = Path.of(System.getProperty("tempora.localstack.dir", "."));

  @Test
  void pinsTheLastCommunityImageWithoutAnAuthToken() throws Exception {
    ComposeFile compose = ComposeFile.read(MODULE.resolve("docker-compose.yml"));
    // 4.14.0: the last release before LocalStack's 2026.03 images, which exit without LOCALSTACK_AUTH_TOKEN.
    assertEquals("localstack/localstack:4.14.0", compose.image());
    assertEquals("4.14.0", compose.tag());
    assertTrue(compose.environment().containsKey("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT"), compose.environment().toString());

    String readme = Files.readString(MODULE.resolve("../README.md"));
    assertTrue(readme.contains("`" + compose.image() + "`"), "README names the pinned image " + compose.image());
  }

  @Test
  void readsTagsAndBothEnvironmentForms(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path list = dir.resolve("list.yml");
    Files.writeString(list, "services:\n  localstack:\n    image: registry:5000/localstack/localstack:4.14.0\n"
        + "    environment:\n      - A=1\n      - B=x=y\n");
    ComposeFile c = ComposeFile.read(list);
    assertEquals("4.14.0", c.tag());
    assertEquals(java.util.Map.of("A", "1", "B", "x=y"), c.environment());

    Path map = dir.resolve("map.yml");
    Files.writeString(map, "services:\n  localstack:\n    image: registry:5000/localstack/localstack\n"
        + "    environment:\n      A: \"1\"\n");
    ComposeFile m = ComposeFile.read(map);
    assertEquals("latest", m.tag(), "a registry port is not a tag");
    assertEquals(java.util.Map.of("A", "1"), m.environment());
  }
}
