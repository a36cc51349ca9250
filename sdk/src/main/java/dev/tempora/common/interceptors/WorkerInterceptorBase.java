package dev.tempora.common.interceptors;

/** A {@link WorkerInterceptor} that changes nothing, to extend (as Temporal's base class). */
public class WorkerInterceptorBase implements WorkerInterceptor {}
