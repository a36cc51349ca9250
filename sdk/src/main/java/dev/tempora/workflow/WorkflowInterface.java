package dev.tempora.workflow;

import java.lang.annotation.*;

/** Marks an interface as a workflow: exactly one {@link WorkflowMethod}, any number of signal and query methods. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
public @interface WorkflowInterface {}
