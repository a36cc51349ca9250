package dev.tempora.activity;

import java.lang.annotation.*;

/** Marks an interface whose methods are activities: ordinary code, retried by policy, run by workers. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
public @interface ActivityInterface {
  /** Prefix for the activity type names of this interface's methods. */
  String namePrefix() default "";
}
