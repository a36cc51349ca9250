package dev.tempora.workflow;

import java.lang.annotation.*;

/** The workflow's entry point. Its return value is the workflow result. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
public @interface WorkflowMethod {
  /** The workflow type; defaults to the interface's simple name. */
  String name() default "";
}
