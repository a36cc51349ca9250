/**
 * The workflow programming model: annotations for workflow interfaces, the {@link
 * dev.tempora.workflow.Workflow} facade for deterministic time, sleeps, waits and randomness,
 * {@link dev.tempora.workflow.Promise}/{@link dev.tempora.workflow.Async} for concurrency and
 * {@link dev.tempora.workflow.Saga} for compensation.
 */
package dev.tempora.workflow;
