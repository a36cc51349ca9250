package dev.tempora.internal.aws;

import dev.tempora.internal.observe.TraceContext;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/**
 * The trace header as an SQS message system attribute ({@code AWSTraceHeader}): X-Ray links the
 * receiving function's work to the sender's trace. It does not count toward the message's size.
 */
final class SqsTrace {
  private SqsTrace() {}

  /** The current trace's attribute, or null (the SDK then sends none). */
  static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> current() {
    return of(TraceContext.current());
  }

  static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> of(String header) {
    if (header == null) {
      return null;
    }
    return Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
        MessageSystemAttributeValue.builder().dataType("String").stringValue(header).build());
  }
}
