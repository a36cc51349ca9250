package dev.tempora.workflow;

import java.lang.annotation.*;

/**
 * A method the client calls to change a running workflow and get an answer: the handler runs in
 * the workflow (it may call activities and sleep) and its return value goes back to the caller.
 * An accepted update is recorded in history; one its validator rejects is not.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
public @interface UpdateMethod {
  /** The update name; defaults to the method name. */
  String name() default "";
}
