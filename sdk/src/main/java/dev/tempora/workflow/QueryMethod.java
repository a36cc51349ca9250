package dev.tempora.workflow;

import java.lang.annotation.*;

/**
 * A read-only view of workflow state. Runs outside the workflow's threads, so it must not block,
 * schedule activities or change state.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
public @interface QueryMethod {
  /** The query name; defaults to the method name. */
  String name() default "";
}
