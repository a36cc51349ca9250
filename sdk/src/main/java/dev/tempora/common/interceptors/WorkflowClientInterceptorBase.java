package dev.tempora.common.interceptors;

/** A {@link WorkflowClientInterceptor} that changes nothing, to extend (as Temporal's base class). */
public class WorkflowClientInterceptorBase implements WorkflowClientInterceptor {}
