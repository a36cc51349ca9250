package dev.tempora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a user's WorkerSetup for the devserver, and its named refusals. */
class UserCodeTest {
  @TempDir
  Path dir;

  @Test
  void loadsASetupByNameInALoaderOfItsOwn() throws Exception {
    UserCode.Loaded loaded = UserCode.load(RestartSetupV1.class.getName(), List.of(), null);
    assertEquals(RestartSetupV1.class.getName(), loaded.setup().getClass().getName());
    assertEquals(UserCode.class.getClassLoader(), loaded.loader().getParent());
  }

  @Test
  void takesTheSetupClassFromTheJarsManifest() throws Exception {
    Path jar = jar("app.jar", RestartSetupV2.class.getName());
    UserCode.Loaded loaded = UserCode.load(null, List.of(), jar);
    assertEquals(RestartSetupV2.class.getName(), loaded.setup().getClass().getName());
  }

  @Test
  void refusalsAreNamed() throws Exception {
    assertRefused("WorkerSetupNotFound: class com.acme.Missing", () -> UserCode.load("com.acme.Missing", List.of(), null));
    assertRefused("NotAWorkerSetup: java.lang.String", () -> UserCode.load("java.lang.String", List.of(), null));
    Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a zip");
    assertRefused("UnreadableJar: " + notAJar, () -> UserCode.load(null, List.of(), notAJar));
    assertRefused("UnreadableJar: " + dir.resolve("none.jar"), () -> UserCode.load(null, List.of(), dir.resolve("none.jar")));
    Path bare = jar("bare.jar", null);
    assertRefused("NoWorkerSetup: " + bare, () -> UserCode.load(null, List.of(), bare));
    assertRefused("NoWorkerSetup: --classpath needs --worker-setup", () -> UserCode.load(null, List.of(dir.toString()), null));
    assertRefused("ClasspathEntryNotFound: " + dir.resolve("nope"),
        () -> UserCode.load("com.acme.Setup", List.of(dir.resolve("nope").toString()), null));
  }

  @Test
  void devServerMainExitsTwoWithTheRefusalAndNoStackTrace() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previous = System.err;
    int status;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      status = DevServerMain.serve(new String[] {"--serve", "--ephemeral", "--worker-setup", "com.acme.Missing",
          "--state-file", dir.resolve("s.json").toString()});
    } finally {
      System.setErr(previous);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status);
    assertTrue(text.startsWith("devserver: WorkerSetupNotFound: class com.acme.Missing"), text);
    assertTrue(!text.contains("\tat "), text);
  }

  private interface Load {
    void run() throws Exception;
  }

  private static void assertRefused(String prefix, Load load) {
    UserCode.Refused e = assertThrows(UserCode.Refused.class, load::run);
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }

  private Path jar(String name, String setupClass) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (setupClass != null) {
      m.getMainAttributes().putValue(UserCode.MANIFEST_ATTRIBUTE, setupClass);
    }
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      // the setup's classes are on the test classpath (the parent loader): the manifest is what is read here
    }
    return jar;
  }
}
