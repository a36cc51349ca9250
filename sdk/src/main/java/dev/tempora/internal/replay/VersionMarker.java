package dev.tempora.internal.replay;

import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;

/**
 * What {@code Workflow.getVersion} records: Temporal's "Version" marker, a {@link
 * Event.MarkerRecorded} with the change id and version in its data. It takes no command seq
 * ({@link #SEQ}), so adding or removing a getVersion call shifts no other command's identity.
 */
public record VersionMarker(String changeId, int version) {
  public static final String NAME = "Version";
  /** Version markers are not numbered with the run's commands. */
  public static final long SEQ = 0;

  public Command.RecordMarker toCommand() {
    return new Command.RecordMarker(SEQ, NAME, DataConverter.get().toPayload(this));
  }

  public static boolean isVersionMarker(Event e) {
    return e instanceof Event.MarkerRecorded m && NAME.equals(m.markerName());
  }

  public static boolean isVersionMarker(Command c) {
    return c instanceof Command.RecordMarker m && NAME.equals(m.markerName());
  }

  /** @throws IllegalArgumentException when the marker's data is not a change id and a version */
  public static VersionMarker of(Event.MarkerRecorded m) {
    Payload data = m.data();
    VersionMarker v = (VersionMarker) DataConverter.get().fromPayload(data, VersionMarker.class);
    if (v == null || v.changeId() == null) {
      throw new IllegalArgumentException("version marker without a change id: " + data);
    }
    return v;
  }
}
