package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.sqs.Queue;

/** cdk-nag's AwsSolutions pack finds nothing unsuppressed, and every suppression says why. */
class CdkNagTest {

  @Test
  void engineHasNoUnsuppressedAwsSolutionsErrorsOrWarnings() {
    EngineFixture f = EngineFixture.get();
    assertEquals(List.of(), describe(f.annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
    assertEquals(List.of(), describe(f.annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
  }

  @Test
  void synthesisRaisesNoWarningsOrErrorsAtAll() {
    EngineFixture f = EngineFixture.get();
    assertEquals(List.of(), describe(f.annotations.findError("*", Match.anyValue())));
    assertEquals(List.of(), describe(f.annotations.findWarning("*", Match.anyValue())));
  }

  @Test
  void everySuppressionCarriesAReasonAndOnlyTheExpectedRulesAreSuppressed() {
    EngineFixture f = EngineFixture.get();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> all = (Map<String, Map<String, Object>>) f.template.toJSON().get("Resources");
    java.util.Set<String> rules = new java.util.TreeSet<>();
    for (Map.Entry<String, Map<String, Object>> e : all.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> nag = (Map<String, Object>) ((Map<String, Object>) e.getValue().getOrDefault("Metadata", Map.of()))
          .get("cdk_nag");
      if (nag == null) {
        continue;
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> suppressions = (List<Map<String, Object>>) nag.get("rules_to_suppress");
      for (Map<String, Object> s : suppressions) {
        String reason = (String) s.get("reason");
        assertTrue(reason != null && reason.length() >= 40, e.getKey() + " suppresses " + s.get("id") + " without a real reason");
        rules.add((String) s.get("id"));
      }
    }
    assertEquals(new java.util.TreeSet<>(List.of("AwsSolutions-IAM5", "AwsSolutions-L1", "AwsSolutions-SQS3")), rules);
  }

  @Test
  void theChecksRunAndWouldCatchAnUnsafeResource() {
    // A bare queue (no DLQ, no TLS-only policy) next to a check: the same assertion must then fail.
    App app = new App();
    Stack stack = new Stack(app, "Unsafe");
    new Queue(stack, "Bare");
    Aspects.of(stack).add(new AwsSolutionsChecks());
    List<String> errors = describe(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
    assertFalse(errors.isEmpty());
    assertTrue(errors.stream().anyMatch(e -> e.contains("AwsSolutions-SQS3")), String.valueOf(errors));
    assertTrue(errors.stream().anyMatch(e -> e.contains("AwsSolutions-SQS4")), String.valueOf(errors));
  }

  @Test
  void theConstructAddsNoCdkNagAspectAndItsClassesDoNotReferenceCdkNag() throws Exception {
    // A user's stack with an engine and no checks of its own has no aspect at all.
    App app = new App();
    Stack stack = new Stack(app, "UsersStack");
    new TemporaEngine(stack, "Tempora", TemporaEngineProps.builder()
        .code(software.amazon.awscdk.services.lambda.Code.fromAsset(EngineFixture.dummyAsset().toString())).build());
    assertEquals(List.of(), Aspects.of(stack).getAll());
    assertEquals(List.of(), Aspects.of(app).getAll());
    // And nothing in the construct's jar needs cdk-nag on the user's classpath (it is a test dependency here).
    java.nio.file.Path classes = java.nio.file.Path.of(TemporaEngine.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    List<String> referencing;
    try (var files = java.nio.file.Files.walk(classes)) {
      referencing = files.filter(p -> p.toString().endsWith(".class"))
          .filter(p -> {
            try {
              return new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1)
                  .contains("io/github/cdklabs/cdknag");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(p -> classes.relativize(p).toString()).toList();
    }
    assertEquals(List.of(), referencing);
  }

  private static List<String> describe(List<SynthesisMessage> messages) {
    return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).collect(Collectors.toList());
  }
}
