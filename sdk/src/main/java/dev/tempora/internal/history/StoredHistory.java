package dev.tempora.internal.history;

import java.util.List;

/**
 * What a history read finds: the committed batches in order and, if the slot after the last of
 * them holds a parked workflow task instead of a batch, that task (else null).
 */
public record StoredHistory(List<HistoryBatch> batches, ParkedTask parked) {
  public StoredHistory {
    batches = List.copyOf(batches);
  }
}
