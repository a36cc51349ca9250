package dev.tempora.internal.client;

import dev.tempora.history.Payload;
import dev.tempora.internal.history.RunKey;

/** Port: answers a query (a synchronous Lambda invoke of the coordinator on AWS). */
public interface QueryHandler {
  Payload query(RunKey run, String queryName, Payload args);
}
