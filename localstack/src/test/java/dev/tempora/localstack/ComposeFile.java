package dev.tempora.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the suite takes from {@code localstack/docker-compose.yml}, so that the pinned image and the
 * container's settings are written down once: the LocalStack service's image and environment.
 */
record ComposeFile(String image, Map<String, String> environment) {

  static final String SERVICE = "localstack";

  static ComposeFile read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode service = root == null ? null : root.path("services").get(SERVICE);
    if (service == null || !service.path("image").isTextual()) {
      throw new IllegalArgumentException(file + " has no service '" + SERVICE + "' with an image");
    }
    return new ComposeFile(service.get("image").asText(), environment(file, service.path("environment")));
  }

  /** Compose allows a list of {@code KEY=VALUE} or a map; both are read. */
  private static Map<String, String> environment(Path file, JsonNode env) {
    Map<String, String> out = new LinkedHashMap<>();
    if (env.isArray()) {
      for (JsonNode entry : env) {
        String s = entry.asText();
        int eq = s.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(file + ": environment entry without a value: " + s);
        }
        out.put(s.substring(0, eq), s.substring(eq + 1));
      }
    } else if (env.isObject()) {
      env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** The image's tag: the version the README promises starts without an auth token. */
  String tag() {
    int colon = image.lastIndexOf(':');
    return colon < 0 || image.indexOf('/', colon) >= 0 ? "latest" : image.substring(colon + 1);
  }
}
