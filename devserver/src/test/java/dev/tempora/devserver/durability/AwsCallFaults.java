package dev.tempora.devserver.durability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Test-only: an SDK interceptor on every client of the embedded stack that fails the calls a rule
 * matches, before they are sent (as a connection failure would): the window a test needs, such as
 * "the close's UpdateItem fails" or "the client's send fails after its commit".
 */
final class AwsCallFaults implements ExecutionInterceptor {
  private final List<BiPredicate<String, SdkRequest>> rules = new CopyOnWriteArrayList<>();
  final AtomicInteger injected = new AtomicInteger();

  /** Fails every call of operation {@code operation} (e.g. "UpdateItem") whose request matches. */
  AutoCloseable fail(BiPredicate<String, SdkRequest> rule) {
    rules.add(rule);
    return () -> rules.remove(rule);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    for (BiPredicate<String, SdkRequest> rule : new ArrayList<>(rules)) {
      if (rule.test(operation, context.request())) {
        injected.incrementAndGet();
        throw SdkClientException.create("injected fault: " + operation + " failed (connection reset)");
      }
    }
  }
}
