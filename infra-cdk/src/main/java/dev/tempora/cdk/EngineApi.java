package dev.tempora.cdk;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The HTTP API (API Gateway v2, Lambda proxy payload 2.0) for every operation the client offers.
 * Every route requires IAM authorization (SigV4): callers need {@code execute-api:Invoke} on the
 * route, so access is granted per principal and per operation with ordinary IAM policies, and
 * nothing is reachable anonymously. Access logs go to a log group of their own. The stage throttles
 * every route (a steady rate and a burst, API Gateway's token bucket; above it callers get 429), so a
 * flood of requests cannot run the engine's functions and table without bound.
 */
public final class EngineApi extends Construct {
  /** A route: method and path (API Gateway's {@code {param}} syntax). */
  public record Route(HttpMethod method, String path) {
    public String routeKey() {
      return method.name() + " " + path;
    }
  }

  /** The routes of the HTTP API contract (docs/http-api.md). */
  public static final List<Route> ROUTES = List.of(
      new Route(HttpMethod.POST, "/workflows"),
      new Route(HttpMethod.GET, "/workflows"),
      new Route(HttpMethod.GET, "/workflows/{workflowId}"),
      new Route(HttpMethod.GET, "/workflows/{workflowId}/result"),
      new Route(HttpMethod.GET, "/workflows/{workflowId}/history"),
      new Route(HttpMethod.GET, "/workflow-count"),
      new Route(HttpMethod.POST, "/workflows/{workflowId}/signal-with-start"),
      new Route(HttpMethod.POST, "/workflows/{workflowId}/updates/{updateName}"),
      new Route(HttpMethod.POST, "/workflows/{workflowId}/signals/{signalName}"),
      new Route(HttpMethod.POST, "/workflows/{workflowId}/queries/{queryName}"),
      new Route(HttpMethod.POST, "/workflows/{workflowId}/cancel"),
      new Route(HttpMethod.POST, "/workflows/{workflowId}/terminate"),
      // Async activity completion (ADR 19): task tokens completed, failed, heartbeated from outside.
      new Route(HttpMethod.POST, "/activities/complete"),
      new Route(HttpMethod.POST, "/activities/fail"),
      new Route(HttpMethod.POST, "/activities/heartbeat"),
      new Route(HttpMethod.POST, "/activities/cancel"),
      new Route(HttpMethod.POST, "/schedules"),
      new Route(HttpMethod.GET, "/schedules"),
      new Route(HttpMethod.GET, "/schedules/{scheduleId}"),
      new Route(HttpMethod.PUT, "/schedules/{scheduleId}"),
      new Route(HttpMethod.DELETE, "/schedules/{scheduleId}"),
      new Route(HttpMethod.POST, "/schedules/{scheduleId}/pause"),
      new Route(HttpMethod.POST, "/schedules/{scheduleId}/unpause"),
      new Route(HttpMethod.POST, "/schedules/{scheduleId}/trigger"),
      new Route(HttpMethod.POST, "/schedules/{scheduleId}/backfill"));

  /** The one stage: the API's URL has no stage path. */
  public static final String STAGE = "$default";

  /** HTTP API access-log variables: who called which route, and how it ended. */
  private static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\","
      + "\"requestTime\":\"$context.requestTime\",\"sourceIp\":\"$context.identity.sourceIp\","
      + "\"caller\":\"$context.identity.userArn\",\"routeKey\":\"$context.routeKey\","
      + "\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\","
      + "\"integrationLatency\":\"$context.integrationLatency\","
      + "\"integrationError\":\"$context.integrationErrorMessage\"}";

  private final HttpApi api;
  private final HttpStage stage;
  private final LogGroup accessLogs;

  /**
   * @param rateLimit steady requests per second the stage lets through (all routes together)
   * @param burstLimit requests the stage lets through at once above the rate
   */
  public EngineApi(Construct scope, String id, IFunction handler, RetentionDays logRetention, double rateLimit,
      int burstLimit) {
    super(scope, id);
    api = HttpApi.Builder.create(this, "Api")
        .description("Tempora workflows: start, signal, signal-with-start, query, describe, result, cancel, terminate, list; schedules")
        .defaultAuthorizer(new HttpIamAuthorizer())
        // The default stage is made below, because only an explicit stage takes access-log settings.
        .createDefaultStage(false)
        .build();
    accessLogs = LogGroup.Builder.create(this, "AccessLogs")
        .retention(logRetention)
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
    stage = HttpStage.Builder.create(this, "DefaultStage")
        .httpApi(api)
        .stageName(STAGE)
        .autoDeploy(true)
        .throttle(ThrottleSettings.builder().rateLimit(rateLimit).burstLimit(burstLimit).build())
        .accessLogSettings(new IAccessLogSettings() {
          @Override
          public IAccessLogDestination getDestination() {
            return new LogGroupLogDestination(accessLogs);
          }

          @Override
          public AccessLogFormat getFormat() {
            return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
          }
        })
        .build();
    HttpLambdaIntegration integration = new HttpLambdaIntegration("Handler", handler);
    for (Route r : ROUTES) {
      api.addRoutes(AddRoutesOptions.builder().path(r.path()).methods(List.of(r.method())).integration(integration).build());
    }
  }

  public HttpApi api() {
    return api;
  }

  public HttpStage stage() {
    return stage;
  }

  /** The base URL ({@code https://<id>.execute-api.<region>.amazonaws.com/}). */
  public String url() {
    return stage.getUrl();
  }

  public LogGroup accessLogs() {
    return accessLogs;
  }
}
