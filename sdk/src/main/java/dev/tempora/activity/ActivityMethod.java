package dev.tempora.activity;

import java.lang.annotation.*;

/** Optional: names an activity method's type (default: the method name, capitalised). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Documented
public @interface ActivityMethod {
  String name() default "";
}
