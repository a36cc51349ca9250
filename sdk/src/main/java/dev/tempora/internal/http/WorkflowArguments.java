package dev.tempora.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Checks JSON arguments against the method that will receive them (workflow, signal or query
 * method) before anything is written: the count must match and each element must convert to its
 * parameter type, as the data converter will convert it when the workflow runs. Otherwise a typo
 * would be accepted here and fail later, inside the workflow, where the caller cannot see it.
 */
public final class WorkflowArguments {
  private static final ObjectMapper MAPPER = DataConverter.get().mapper();

  private WorkflowArguments() {}

  /**
   * The arguments as the payload the workflow receives (the JSON array as sent).
   *
   * @param args the JSON array, or null for none
   * @param what names the method in messages, e.g. "signal 'approve' of ExpenseWorkflow"
   */
  public static Payload toPayload(Method method, ArrayNode args, String what) {
    int expected = method.getParameterCount();
    int given = args == null ? 0 : args.size();
    if (given != expected) {
      throw ApiError.INVALID_ARGUMENTS.exception(what + " takes " + expected + " argument" + (expected == 1 ? "" : "s")
          + signature(method) + ", got " + given);
    }
    Type[] types = method.getGenericParameterTypes();
    for (int i = 0; i < expected; i++) {
      JsonNode element = args.get(i);
      try {
        MAPPER.treeToValue(element, MAPPER.constructType(types[i]));
      } catch (Exception e) { // JsonProcessingException, or IllegalArgumentException from a converter
        String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
            : e.getMessage();
        throw ApiError.INVALID_ARGUMENTS.exception("argument " + (i + 1) + " of " + what + " ("
            + simpleName(types[i]) + ") does not convert from " + JsonBody.kind(element) + ": " + firstLine(reason));
      }
    }
    try {
      return DataConverter.checked(new Payload(args == null ? "[]" : args.toString()));
    } catch (PayloadTooLargeException e) {
      throw ApiError.PAYLOAD_TOO_LARGE.exception(e.getMessage());
    }
  }

  private static String signature(Method m) {
    if (m.getParameterCount() == 0) {
      return "";
    }
    return " (" + Arrays.stream(m.getGenericParameterTypes()).map(WorkflowArguments::simpleName)
        .collect(Collectors.joining(", ")) + ")";
  }

  private static String simpleName(Type t) {
    return t instanceof Class<?> c ? c.getSimpleName() : t.getTypeName().replaceAll("[a-z0-9_]+\\.", "");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
