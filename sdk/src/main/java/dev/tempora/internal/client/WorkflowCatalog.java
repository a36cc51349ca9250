package dev.tempora.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.internal.replay.WorkflowImplementation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a deployment's coordinator registers, as data: its workflow types with the parameter types
 * of their workflow method, signals, queries and updates, whether a dynamic workflow takes every
 * other type, and the task queues it serves. The coordinator publishes it in the table (see
 * {@code DynamoDbWorkflowCatalog}), so that a client without the workflow code (a producer service
 * with only the interfaces, or none) checks requests as the engine would: the type, the handler
 * names and the argument counts (the argument types need the classes).
 *
 * @param deployment the registry's code fingerprint ({@link WorkflowRegistry#deployment()})
 * @param dynamic a dynamic workflow runs every type not listed
 */
public record WorkflowCatalog(String deployment, List<String> taskQueues, boolean dynamic,
                              Map<String, WorkflowType> types) {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public WorkflowCatalog {
    taskQueues = List.copyOf(taskQueues);
    types = Map.copyOf(types);
  }

  /** A type's handlers; each maps a name to its parameter types (as written, for messages). */
  public record WorkflowType(List<String> workflowMethod, Map<String, List<String>> signals,
                             Map<String, List<String>> queries, Map<String, List<String>> updates) {}

  /** The catalog of what {@code registry} runs, serving {@code taskQueues}. */
  public static WorkflowCatalog of(WorkflowRegistry registry, Set<String> taskQueues) {
    Map<String, WorkflowType> types = new TreeMap<>();
    boolean dynamic = false;
    for (String name : registry.types()) {
      if (name.equals(WorkflowImplementation.DYNAMIC_TYPE)) {
        dynamic = true;
        continue;
      }
      Optional<WorkflowImplementation> impl = registry.get(name);
      if (impl.isEmpty()) continue;
      WorkflowInterfaceMetadata md = impl.get().metadata();
      types.put(name, new WorkflowType(parameters(md.workflowMethod()), handlers(md.signals()), handlers(md.queries()),
          handlers(md.updates())));
    }
    return new WorkflowCatalog(registry.deployment(), List.copyOf(new TreeSet<>(taskQueues)), dynamic, types);
  }

  private static Map<String, List<String>> handlers(Map<String, Method> methods) {
    Map<String, List<String>> out = new TreeMap<>();
    methods.forEach((name, m) -> out.put(name, parameters(m)));
    return out;
  }

  private static List<String> parameters(Method m) {
    return Arrays.stream(m.getGenericParameterTypes()).map(Type::getTypeName).toList();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static WorkflowCatalog fromJson(String json) {
    try {
      return JSON.readValue(json, WorkflowCatalog.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the published workflow catalog is not readable: " + e.getOriginalMessage(), e);
    }
  }

  /** Where a validator finds the catalog: the cached one, or ({@code refresh}) read again. Empty: none published. */
  public interface Source {
    Optional<WorkflowCatalog> get(boolean refresh);
  }
}
