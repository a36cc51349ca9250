package dev.tempora.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.history.Payload;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import java.lang.reflect.Method;

/**
 * JSON arguments as the payload a method receives, checked by the client's rules ({@link
 * RequestValidator#arguments}) and refused with the API's errors.
 */
public final class WorkflowArguments {
  private WorkflowArguments() {}

  /** The arguments as the payload the workflow receives (the JSON array as sent; null: none). */
  public static Payload payload(ArrayNode args) {
    try {
      return DataConverter.checked(new Payload(args == null ? "[]" : args.toString()));
    } catch (PayloadTooLargeException e) {
      throw ApiError.PAYLOAD_TOO_LARGE.exception(e.getMessage());
    }
  }

  /**
   * The arguments, checked against the method that will receive them, as its payload.
   *
   * @param what names the method in messages, e.g. "signal 'approve' of ExpenseWorkflow"
   */
  public static Payload toPayload(Method method, ArrayNode args, String what) {
    try {
      RequestValidator.arguments(method, args, what);
    } catch (InvalidRequestException e) {
      throw ApiError.of(e);
    }
    return payload(args);
  }
}
