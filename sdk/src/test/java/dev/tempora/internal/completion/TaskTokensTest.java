package dev.tempora.internal.completion;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.ActivityCompletionFailureException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Task tokens name their attempt and cannot be made or altered without the engine's key. */
class TaskTokensTest {
  private static final TaskToken ATTEMPT = new TaskToken("default", "expense-7", "run-1", 3, 2);

  @Test
  void aTokenNamesItsRunActivityAndAttempt() {
    TaskTokens tokens = TaskTokens.random();
    assertEquals(ATTEMPT, tokens.verify(tokens.sign(ATTEMPT)));
  }

  @Test
  void anotherRunsOrAttemptsTokenCannotBeMadeFromOne() {
    TaskTokens tokens = TaskTokens.random();
    String token = new String(tokens.sign(ATTEMPT), StandardCharsets.US_ASCII);
    String[] parts = token.split("\\.");
    // The payload rewritten to name attempt 3 (or another run), the signature kept: refused.
    String otherAttempt = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"namespace\":\"default\",\"workflowId\":\"expense-7\",\"runId\":\"run-1\",\"seq\":3,\"attempt\":3}"
            .getBytes(StandardCharsets.UTF_8));
    assertInvalid(tokens, parts[0] + "." + otherAttempt + "." + parts[2]);
    // The same payload signed by another engine's key: refused.
    assertInvalid(tokens, new String(TaskTokens.random().sign(ATTEMPT), StandardCharsets.US_ASCII));
    // Malformed ones.
    assertInvalid(tokens, "");
    assertInvalid(tokens, "tt1.");
    assertInvalid(tokens, parts[0] + "." + parts[1] + ".%%%");
    assertInvalid(tokens, "hello");
  }

  @Test
  void aKeyFromConfigurationSignsTheSameInEveryProcess() {
    String key = Base64.getEncoder().encodeToString(TaskTokens.newKey());
    byte[] token = TaskTokens.fromBase64(key).sign(ATTEMPT);
    assertEquals(ATTEMPT, TaskTokens.fromBase64(key).verify(token), "a second process with the same key");
    assertThrows(IllegalArgumentException.class, () -> new TaskTokens(new byte[16]), "a short key");
  }

  private static void assertInvalid(TaskTokens tokens, String token) {
    ActivityCompletionFailureException e = assertThrows(ActivityCompletionFailureException.class,
        () -> tokens.verify(token.getBytes(StandardCharsets.US_ASCII)));
    assertEquals("InvalidTaskToken", e.getReason());
  }
}
