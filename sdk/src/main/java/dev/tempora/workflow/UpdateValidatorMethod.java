package dev.tempora.workflow;

import java.lang.annotation.*;

/**
 * Checks an update's arguments before it is accepted: it returns void and throws to reject the
 * update (the caller gets the exception; nothing is recorded). It takes the update's parameters,
 * must not change workflow state and must not block (no activities, sleeps or awaits).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
public @interface UpdateValidatorMethod {
  /** The name of the update this validates. */
  String updateName();
}
