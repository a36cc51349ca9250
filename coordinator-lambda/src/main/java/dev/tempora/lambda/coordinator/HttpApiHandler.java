package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.http.ApiError;
import dev.tempora.internal.http.ApiRequest;
import dev.tempora.internal.http.ApiResponse;
import dev.tempora.internal.http.HttpApi;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP API (docs/http-api.md) behind an API Gateway HTTP API (payload format 2.0; IAM
 * authorization is the gateway's job). It only translates: the event becomes an {@link ApiRequest}
 * for the same {@link HttpApi} the devserver serves, and the answer becomes the response.
 *
 * <p>Configured like the other handlers: {@code TEMPORA_*} environment variables and the worker
 * setup ({@code TEMPORA_WORKER_SETUP} or ServiceLoader), which tells it the workflow types.
 */
public final class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final HttpApi api;

  public HttpApiHandler() {
    this(EnvironmentRuntime.get().httpApi());
  }

  public HttpApiHandler(HttpApi api) {
    this.api = api;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return toResponse(handle(event));
  }

  private ApiResponse handle(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
    String method = ctx == null || ctx.getHttp() == null ? "" : ctx.getHttp().getMethod();
    byte[] body;
    try {
      body = body(event);
    } catch (IllegalArgumentException e) {
      return HttpApi.error(ApiError.BAD_JSON, "the request body is marked base64 but does not decode: " + e.getMessage());
    }
    return api.handle(new ApiRequest(method, path(event), event.getRawQueryString(), header(event, "content-type"), body));
  }

  /**
   * The path without the stage: a named stage ({@code /prod/workflows}) prefixes rawPath, the
   * {@code $default} stage does not.
   */
  private static String path(APIGatewayV2HTTPEvent event) {
    String raw = event.getRawPath() == null ? "/" : event.getRawPath();
    String stage = event.getRequestContext() == null ? null : event.getRequestContext().getStage();
    if (stage != null && !stage.equals("$default")) {
      String prefix = "/" + stage;
      if (raw.equals(prefix)) {
        return "/";
      }
      if (raw.startsWith(prefix + "/")) {
        return raw.substring(prefix.length());
      }
    }
    return raw;
  }

  private static byte[] body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    // API Gateway base64-encodes bodies whose Content-Type it does not take for text.
    return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
  }

  /** Payload format 2.0 lower-cases header names; looked up case-insensitively all the same. */
  private static String header(APIGatewayV2HTTPEvent event, String name) {
    if (event.getHeaders() == null) {
      return null;
    }
    return event.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  private static APIGatewayV2HTTPResponse toResponse(ApiResponse r) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", ApiResponse.CONTENT_TYPE);
    headers.putAll(r.headers());
    return APIGatewayV2HTTPResponse.builder().withStatusCode(r.status()).withHeaders(headers).withBody(r.body())
        .withIsBase64Encoded(false).build();
  }
}
