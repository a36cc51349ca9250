/** The client: start, signal, query, cancel, terminate, describe, wait for, list and inspect workflows. */
package dev.tempora.client;
