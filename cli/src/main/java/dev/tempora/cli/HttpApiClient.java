package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

/**
 * Requests to the engine's HTTP API, the one path every workflow, schedule and activity command
 * takes (so the CLI refuses exactly what the API refuses). HttpURLConnection: the lightest client
 * the JDK has to start, which is most of a command's time.
 */
final class HttpApiClient {
  private final URI base;
  private final String what;
  /** Adds headers to a request (SigV4 on AWS); given the method, the full URI and the body. */
  private final Signer signer;

  interface Signer {
    Map<String, String> headers(String method, URI uri, byte[] body);
  }

  HttpApiClient(URI base, String what, Signer signer) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.what = what;
    this.signer = signer;
  }

  ApiAnswer get(String pathAndQuery) {
    return send("GET", pathAndQuery, null);
  }

  ApiAnswer send(String method, String pathAndQuery, JsonNode body) {
    ObjectMapper json = Json.MAPPER;
    URI uri = URI.create(base + pathAndQuery);
    try {
      byte[] bytes = body == null ? new byte[0] : Json.ASCII.writeValueAsBytes(body);
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(5_000);
      c.setReadTimeout(60_000);
      c.setRequestMethod(method);
      if (signer != null) signer.headers(method, uri, bytes).forEach(c::setRequestProperty);
      if (body != null) {
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = c.getResponseCode();
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        byte[] answer = in == null ? new byte[0] : in.readAllBytes();
        JsonNode node = answer.length == 0 ? NullNode.getInstance() : json.readTree(answer);
        return new ApiAnswer(status, node);
      }
    } catch (IOException e) {
      throw new CliError.Unavailable("cannot reach " + what + " at " + base + " (" + e.getMessage() + ")");
    }
  }

  /** Percent-encodes one path segment or query value (a workflow id may hold '/', '?', spaces). */
  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
