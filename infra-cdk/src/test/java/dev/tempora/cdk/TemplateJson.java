package dev.tempora.cdk;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.IConstruct;

/** Reads the synthesized template as plain maps, with references rendered as the logical ids they name. */
final class TemplateJson {
  private final Stack stack;
  private final Map<String, Object> resources;

  @SuppressWarnings("unchecked")
  TemplateJson(Stack stack, Map<String, Object> template) {
    this.stack = stack;
    this.resources = (Map<String, Object>) template.get("Resources");
  }

  /** The logical id of a construct's CloudFormation resource (an L2's default child). */
  String id(IConstruct construct) {
    IConstruct c = construct instanceof CfnElement ? construct : construct.getNode().getDefaultChild();
    return stack.getLogicalId((CfnElement) c);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> properties(String logicalId) {
    Map<String, Object> r = (Map<String, Object>) resources.get(logicalId);
    if (r == null) {
      throw new AssertionError("no resource " + logicalId);
    }
    return (Map<String, Object>) r.get("Properties");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> resource(String logicalId) {
    return (Map<String, Object>) resources.get(logicalId);
  }

  /**
   * What a role may do, as resource → actions, from its default policy: {@code Fn::GetAtt}/{@code Ref}
   * appear as the logical id (a table's stream as {@code <id>.StreamArn}), joins as text with
   * {@code ${id}} for references.
   */
  @SuppressWarnings("unchecked")
  Map<String, Set<String>> grants(IRole role) {
    IConstruct policy = role.getNode().findChild("DefaultPolicy");
    Map<String, Set<String>> out = new TreeMap<>();
    for (Map<String, Object> st : (List<Map<String, Object>>) ((Map<String, Object>) properties(id(policy))
        .get("PolicyDocument")).get("Statement")) {
      if (!"Allow".equals(st.get("Effect"))) {
        throw new AssertionError("unexpected " + st.get("Effect") + " statement in " + id(policy));
      }
      for (Object res : asList(st.get("Resource"))) {
        out.computeIfAbsent(render(res), k -> new TreeSet<>()).addAll((List<String>) (List<?>) asList(st.get("Action")));
      }
    }
    return out;
  }

  /** The statements of a role's default policy, raw. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> statements(IRole role) {
    IConstruct policy = role.getNode().findChild("DefaultPolicy");
    return (List<Map<String, Object>>) ((Map<String, Object>) properties(id(policy)).get("PolicyDocument")).get("Statement");
  }

  @SuppressWarnings("unchecked")
  static String render(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?> m) {
      if (m.containsKey("Fn::GetAtt")) {
        List<Object> getAtt = (List<Object>) m.get("Fn::GetAtt");
        // A table's stream is a resource of its own: its grants must not merge with the table's.
        return "StreamArn".equals(getAtt.get(1)) ? getAtt.get(0) + ".StreamArn" : (String) getAtt.get(0);
      }
      if (m.containsKey("Ref")) {
        String ref = (String) m.get("Ref");
        return ref.startsWith("AWS::") ? "${" + ref + "}" : ref;
      }
      if (m.containsKey("Fn::Join")) {
        StringBuilder sb = new StringBuilder();
        for (Object part : (List<Object>) ((List<Object>) m.get("Fn::Join")).get(1)) {
          String r = render(part);
          sb.append(part instanceof String || r.startsWith("${") ? r : "${" + r + "}");
        }
        return sb.toString();
      }
    }
    return String.valueOf(value);
  }

  private static List<Object> asList(Object o) {
    return o instanceof List<?> l ? List.copyOf(l) : List.of(o);
  }

  /** Logical ids of every resource of a type. */
  @SuppressWarnings("unchecked")
  List<String> idsOfType(String type) {
    return resources.entrySet().stream()
        .filter(e -> type.equals(((Map<String, Object>) e.getValue()).get("Type")))
        .map(Map.Entry::getKey).sorted().toList();
  }
}
