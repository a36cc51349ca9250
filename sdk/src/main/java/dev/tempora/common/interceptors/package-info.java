/**
 * Interceptors, in the shape of Temporal's {@code io.temporal.common.interceptors}: worker
 * interceptors around workflow code (inbound: the workflow method and handlers; outbound: its
 * activity, timer, wait and signal calls) and activity attempts, and client interceptors around
 * workflow stubs' calls. See ADR "dynamic handlers and interceptors".
 */
package dev.tempora.common.interceptors;
