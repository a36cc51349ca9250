package dev.tempora.history;

/** A value as the data converter encoded it (JSON text). */
public record Payload(String json) {
  public static final Payload NULL = new Payload("null");

  public int sizeBytes() {
    return json.length();
  }

  @Override
  public String toString() {
    return json.length() <= 80 ? json : json.substring(0, 77) + "...";
  }
}
