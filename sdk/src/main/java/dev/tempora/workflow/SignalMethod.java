package dev.tempora.workflow;

import java.lang.annotation.*;

/** A method the client calls to deliver an asynchronous message to a running workflow. Returns void. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
public @interface SignalMethod {
  /** The signal name; defaults to the method name. */
  String name() default "";
}
