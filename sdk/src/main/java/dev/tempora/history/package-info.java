/** The event history model: what {@code WorkflowClient.fetchHistory} returns. */
package dev.tempora.history;
