package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How a command's answer is printed ({@code --output}): {@code text} for people, {@code json} (the
 * HTTP API's JSON, indented), {@code jsonl} (one compact JSON value a line: a list's rows, or the
 * one object), {@code table} (columns). Text of an object is generic: every field the answer has, so
 * fields the engine adds (describe's) show up without a change here.
 */
final class Output {
  enum Format { text, json, jsonl, table }

  final Format format;
  final PrintStream out;

  Output(Format format, PrintStream out) {
    this.format = format;
    this.out = out;
  }

  boolean text() {
    return format == Format.text;
  }

  /** One object: {@code textLine} for text (null: the generic field list). */
  void object(JsonNode node, String textLine) {
    switch (format) {
      case json -> out.println(Json.pretty(node));
      case jsonl -> out.println(Json.compact(node));
      case table -> fieldsTable(node);
      case text -> {
        if (textLine != null) out.println(textLine);
        else fields(node);
      }
    }
  }

  /** Rows of a list; {@code columns}: field names shown by text and table (null: the first row's). */
  void rows(JsonNode rows, List<String> columns, String empty) {
    switch (format) {
      case json -> out.println(Json.pretty(rows));
      case jsonl -> rows.forEach(r -> out.println(Json.compact(r)));
      case text, table -> {
        if (rows.isEmpty()) {
          if (format == Format.text) out.println(empty);
          return;
        }
        List<String> cols = columns != null ? columns : names(rows.get(0));
        List<List<String>> cells = new ArrayList<>();
        cells.add(cols.stream().map(Output::header).toList());
        rows.forEach(r -> cells.add(cols.stream().map(c -> cell(r.get(c))).toList()));
        table(cells);
      }
    }
  }

  /** A value (a query's or a workflow's result): JSON in every format, indented for text and json. */
  void value(JsonNode node) {
    out.println(format == Format.jsonl ? Json.compact(node) : node.isContainerNode() ? Json.pretty(node) : Json.compact(node));
  }

  private void fields(JsonNode node) {
    int width = 0;
    for (String n : names(node)) width = Math.max(width, n.length());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull() || (v.isContainerNode() && v.isEmpty())) continue;
      field("", width, e.getKey(), v);
    }
  }

  /**
   * One field of a text answer, each array item on a line of its own. An object's scalar fields go
   * on its line as {@code k=v}; a nested object (a pending activity's last failure, its cause)
   * goes on lines of its own below, indented, so it reads as fields rather than as raw JSON.
   */
  private void field(String indent, int width, String key, JsonNode v) {
    if (v.isArray() && !v.isEmpty()) {
      for (JsonNode item : v) field(indent, width, key, item);
      return;
    }
    int pad = Math.max(1, width - indent.length());
    out.printf("%s%-" + pad + "s  %s%n", indent, key, v.isObject() ? flat(v) : cell(v));
    if (!v.isObject()) return;
    v.fields().forEachRemaining(e -> {
      if (nested(e.getValue())) field(indent + "  ", width, e.getKey(), e.getValue());
    });
  }

  /** An object's fields that fit on one line: scalars and arrays of scalars. */
  private static String flat(JsonNode object) {
    List<String> parts = new ArrayList<>();
    object.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (!v.isNull() && !nested(v)) parts.add(e.getKey() + "=" + scalar(v));
    });
    return String.join(" ", parts);
  }

  /** A non-empty object, or an array holding one: shown on lines of its own. */
  private static boolean nested(JsonNode v) {
    if (v.isObject()) return !v.isEmpty();
    if (v.isArray()) {
      for (JsonNode item : v) if (item.isObject() && !item.isEmpty()) return true;
    }
    return false;
  }

  /** A {@code k=v} value: text as itself, quoted when it has spaces (a failure's message); containers as compact JSON. */
  private static String scalar(JsonNode v) {
    if (!v.isValueNode()) return Json.compact(v);
    String text = v.asText();
    return v.isTextual() && (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) ? Json.compact(v) : text;
  }

  private void fieldsTable(JsonNode node) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(List.of("FIELD", "VALUE"));
    node.fields().forEachRemaining(e -> cells.add(List.of(e.getKey(), cell(e.getValue()))));
    table(cells);
  }

  private void table(List<List<String>> cells) {
    int[] width = new int[cells.get(0).size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
    }
    for (List<String> row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s  ", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String header(String field) {
    return field.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
  }

  /** A scalar as itself; an object as its non-null fields {@code k=v}; an array as compact JSON. */
  static String cell(JsonNode v) {
    if (v == null || v.isNull()) return "";
    if (v.isValueNode()) return v.asText();
    if (v.isObject()) {
      List<String> parts = new ArrayList<>();
      v.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) parts.add(e.getKey() + "=" + (e.getValue().isValueNode() ? e.getValue().asText()
            : Json.compact(e.getValue())));
      });
      return String.join(" ", parts);
    }
    return Json.compact(v);
  }
}
