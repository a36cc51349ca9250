package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** What the HTTP API answered: its status and JSON body (an error body has {@code error} and {@code message}). */
record ApiAnswer(int status, JsonNode body) {
  boolean ok() {
    return status >= 200 && status < 300;
  }

  /** The body of a success, else the named error as the exit code its status means. */
  JsonNode orThrow() {
    if (ok()) return body;
    String name = body.path("error").asText("HttpError" + status);
    String message = name + ": " + body.path("message").asText("");
    if (status == 400 || status == 413 || status == 415 || status == 405) throw new CliError.Refused(message);
    // A token whose attempt is not open: refused, nothing recorded (as the old CLI's exit 3).
    if (name.equals("ActivityNotExists")) throw new CliError.Refused(message);
    if (status >= 500) throw new CliError.Failed(message);
    throw new CliError.Failed(message); // 404 not found, 409 closed or already started, 422 query failed
  }
}
