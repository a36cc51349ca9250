package dev.tempora.cdk;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class ScratchDumpTest {
  @Test
  void dump() throws Exception {
    EngineFixture f = EngineFixture.get();
    java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/tpl.json"),
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(f.template.toJSON()));
    var errs = f.annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    var warns = f.annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    StringBuilder sb = new StringBuilder();
    for (var m : errs) sb.append("ERROR ").append(m.getId()).append(" ").append(m.getEntry().getData()).append("\n");
    for (var m : warns) sb.append("WARN ").append(m.getId()).append(" ").append(m.getEntry().getData()).append("\n");
    java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/nag.txt"), sb.toString());
  }
}
