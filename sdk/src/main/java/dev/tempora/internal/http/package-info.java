/**
 * The HTTP API over the client operations (docs/http-api.md): one transport-neutral router and
 * service, used by the API Gateway Lambda handler and by the devserver's local HTTP server alike.
 */
package dev.tempora.internal.http;
