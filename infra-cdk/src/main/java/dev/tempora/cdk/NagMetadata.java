package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Writes cdk-nag rule suppressions as the resource metadata cdk-nag reads ({@code cdk_nag:
 * {rules_to_suppress: [{id, reason, applies_to?}]}}, the format its {@code NagSuppressions} writes),
 * without depending on cdk-nag: a user's app that applies cdk-nag sees the engine's reasons, and an
 * app that does not gets no cdk-nag on its classpath. {@code CdkNagTest} checks cdk-nag honours them.
 */
final class NagMetadata {
  static final String KEY = "cdk_nag";

  /** One suppression: a rule id, why, and (for granular rules) the findings it covers as regexes. */
  record Suppression(String id, String reason, List<String> appliesToRegexes) {
    Suppression {
      // cdk-nag base64-encodes reasons beyond Latin-1 and flags them; plain text keeps the template readable.
      if (reason.length() < 10 || reason.chars().anyMatch(c -> c > 255)) {
        throw new IllegalArgumentException("a suppression reason is at least 10 Latin-1 characters: " + id);
      }
      appliesToRegexes = List.copyOf(appliesToRegexes);
    }

    static Suppression of(String id, String reason) {
      return new Suppression(id, reason, List.of());
    }

    Map<String, Object> toMetadata() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("reason", reason);
      m.put("id", id);
      if (!appliesToRegexes.isEmpty()) {
        m.put("applies_to", appliesToRegexes.stream().map(r -> Map.of("regex", r)).toList());
      }
      return m;
    }
  }

  private NagMetadata() {}

  /** Adds {@code suppression} to every CloudFormation resource at or under {@code construct}. */
  static void suppress(IConstruct construct, Suppression suppression) {
    for (IConstruct c : construct.getNode().findAll()) {
      IConstruct l1 = c.getNode().getDefaultChild() != null ? c.getNode().getDefaultChild() : c;
      if (l1 instanceof CfnResource resource) {
        List<Object> rules = new ArrayList<>(existing(resource));
        Map<String, Object> rule = suppression.toMetadata();
        if (!rules.contains(rule)) {
          rules.add(rule);
        }
        resource.addMetadata(KEY, Map.of("rules_to_suppress", rules));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> existing(CfnResource resource) {
    Object metadata = resource.getMetadata(KEY);
    if (metadata instanceof Map<?, ?> m && m.get("rules_to_suppress") instanceof List<?> l) {
      return (List<Object>) l;
    }
    return List.of();
  }
}
