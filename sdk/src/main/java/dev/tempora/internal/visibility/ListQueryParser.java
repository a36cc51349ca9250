package dev.tempora.internal.visibility;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.internal.visibility.ListQuery.And;
import dev.tempora.internal.visibility.ListQuery.Between;
import dev.tempora.internal.visibility.ListQuery.Compare;
import dev.tempora.internal.visibility.ListQuery.Expr;
import dev.tempora.internal.visibility.ListQuery.In;
import dev.tempora.internal.visibility.ListQuery.IsNull;
import dev.tempora.internal.visibility.ListQuery.Op;
import dev.tempora.internal.visibility.ListQuery.Or;
import dev.tempora.internal.visibility.ListQuery.StartsWith;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recursive-descent parser for the subset of Temporal's list-filter language that
 * docs/adr/0022-search-attributes-and-list-queries.md documents:
 *
 * <pre>
 * query     := [or] [ORDER BY field [ASC | DESC]]
 * or        := and (OR and)*
 * and       := primary (AND primary)*
 * primary   := '(' or ')'
 *            | field ('=' | '!=' | '<>' | '<' | '<=' | '>' | '>=') literal
 *            | field [NOT] IN '(' literal (',' literal)* ')'
 *            | field [NOT] BETWEEN literal AND literal
 *            | field STARTS_WITH string
 *            | field IS [NOT] NULL
 * field     := name | `back-quoted name`
 * literal   := 'string' | "string" | number | TRUE | FALSE
 * </pre>
 *
 * Keywords are case-insensitive. System fields' literals are checked here (a known status name, an
 * ISO date-time), so a typo is an {@code InvalidQuery}, not an empty result.
 */
public final class ListQueryParser {
  private static final int MAX_LENGTH = 4000;

  private final List<Token> tokens;
  private int pos;

  private enum Kind { NAME, QUOTED_NAME, STRING, NUMBER, SYMBOL, END }

  private record Token(Kind kind, String text, int at) {}

  private ListQueryParser(String text) {
    this.tokens = tokenize(text);
  }

  /** @throws InvalidRequestException {@code InvalidQuery} or {@code UnsupportedQuery} */
  public static ListQuery parse(String query) {
    if (query == null || query.isBlank()) {
      return new ListQuery(null, false);
    }
    if (query.length() > MAX_LENGTH) {
      throw invalid("the query is " + query.length() + " characters long, at most " + MAX_LENGTH + " are allowed");
    }
    return new ListQueryParser(query).query();
  }

  private ListQuery query() {
    Expr filter = null;
    if (!isKeyword("ORDER")) {
      filter = or();
    }
    boolean ascending = false;
    if (acceptKeyword("ORDER")) {
      expectKeyword("BY");
      String field = field();
      if (!field.equals(SystemField.StartTime.name())) {
        throw unsupported("ORDER BY " + field + ": only ORDER BY StartTime [ASC|DESC] is supported");
      }
      if (acceptKeyword("ASC")) {
        ascending = true;
      } else {
        acceptKeyword("DESC");
      }
    }
    if (isKeyword("GROUP") || isKeyword("LIMIT")) {
      throw unsupported(peek().text().toUpperCase(Locale.ROOT) + " is not supported");
    }
    if (peek().kind() != Kind.END) {
      throw invalid("unexpected '" + peek().text() + "' at position " + (peek().at() + 1));
    }
    return new ListQuery(filter, ascending);
  }

  private Expr or() {
    List<Expr> terms = new ArrayList<>(List.of(and()));
    while (acceptKeyword("OR")) {
      terms.add(and());
    }
    return terms.size() == 1 ? terms.get(0) : new Or(List.copyOf(terms));
  }

  private Expr and() {
    List<Expr> terms = new ArrayList<>(List.of(primary()));
    while (acceptKeyword("AND")) {
      terms.add(primary());
    }
    return terms.size() == 1 ? terms.get(0) : new And(List.copyOf(terms));
  }

  private Expr primary() {
    if (acceptSymbol("(")) {
      Expr e = or();
      expectSymbol(")");
      return e;
    }
    String field = field();
    Token t = peek();
    if (t.kind() == Kind.SYMBOL && !t.text().equals("(") && !t.text().equals(")") && !t.text().equals(",")) {
      pos++;
      Op op = switch (t.text()) {
        case "=" -> Op.EQ;
        case "!=", "<>" -> Op.NE;
        case "<" -> Op.LT;
        case "<=" -> Op.LE;
        case ">" -> Op.GT;
        case ">=" -> Op.GE;
        default -> throw invalid("unknown operator '" + t.text() + "' at position " + (t.at() + 1));
      };
      return checked(new Compare(field, op, literal()));
    }
    boolean negated = acceptKeyword("NOT");
    if (acceptKeyword("IN")) {
      expectSymbol("(");
      List<Object> values = new ArrayList<>(List.of(literal()));
      while (acceptSymbol(",")) {
        values.add(literal());
      }
      expectSymbol(")");
      return checked(new In(field, List.copyOf(values), negated));
    }
    if (acceptKeyword("BETWEEN")) {
      Object low = literal();
      expectKeyword("AND");
      return checked(new Between(field, low, literal(), negated));
    }
    if (negated) {
      throw invalid("NOT must be followed by IN or BETWEEN (after " + field + ")");
    }
    if (acceptKeyword("STARTS_WITH")) {
      Object prefix = literal();
      if (!(prefix instanceof String s)) {
        throw invalid("STARTS_WITH needs a string, after " + field);
      }
      return new StartsWith(field, s);
    }
    if (acceptKeyword("IS")) {
      boolean not = acceptKeyword("NOT");
      expectKeyword("NULL");
      return new IsNull(field, not);
    }
    if (isKeyword("LIKE")) {
      throw unsupported("LIKE is not supported; use STARTS_WITH");
    }
    throw invalid("expected an operator after " + field + " at position " + (t.at() + 1)
        + (t.kind() == Kind.END ? " (end of query)" : ", found '" + t.text() + "'"));
  }

  /** Literals of system fields must be values the field can have. */
  private static Expr checked(Expr e) {
    List<Object> literals = switch (e) {
      case Compare c -> List.of(c.literal());
      case In in -> in.literals();
      case Between b -> List.of(b.low(), b.high());
      default -> List.of();
    };
    String field = switch (e) {
      case Compare c -> c.field();
      case In in -> in.field();
      case Between b -> b.field();
      default -> "";
    };
    SystemField f = SystemField.of(field).orElse(null);
    if (f == null) {
      return e;
    }
    for (Object literal : literals) {
      switch (f) {
        case ExecutionStatus -> {
          if (!(literal instanceof String s) || RowFilter.status(s) == null) {
            throw invalid("ExecutionStatus " + render(literal) + " is not a status (Running, Completed, Failed, "
                + "Canceled, Terminated, ContinuedAsNew, TimedOut)");
          }
        }
        case StartTime, CloseTime -> {
          if (!(literal instanceof String s) || RowFilter.instant(s) == null) {
            throw invalid(field + " " + render(literal) + " is not a date-time like '2026-01-01T00:00:00Z'");
          }
        }
        case WorkflowId, RunId, WorkflowType, TaskQueue -> {
          if (!(literal instanceof String)) {
            throw invalid(field + " is compared with a string, not " + render(literal));
          }
        }
      }
    }
    if (f == SystemField.ExecutionStatus && e instanceof Compare c && c.op() != Op.EQ && c.op() != Op.NE) {
      throw invalid("ExecutionStatus is compared with =, !=, IN, not " + c.op());
    }
    return e;
  }

  private static String render(Object literal) {
    return literal instanceof String s ? "'" + s + "'" : String.valueOf(literal);
  }

  private String field() {
    Token t = peek();
    if (t.kind() == Kind.NAME && !keyword(t)) {
      pos++;
      return t.text();
    }
    if (t.kind() == Kind.QUOTED_NAME) {
      pos++;
      return t.text();
    }
    throw invalid("expected a field name at position " + (t.at() + 1)
        + (t.kind() == Kind.END ? " (end of query)" : ", found '" + t.text() + "'"));
  }

  private Object literal() {
    Token t = peek();
    pos++;
    return switch (t.kind()) {
      case STRING -> t.text();
      case NUMBER -> t.text().matches("-?\\d+") ? (Object) Long.parseLong(t.text()) : (Object) Double.parseDouble(t.text());
      case NAME -> switch (t.text().toUpperCase(Locale.ROOT)) {
        case "TRUE" -> Boolean.TRUE;
        case "FALSE" -> Boolean.FALSE;
        default -> throw invalid("expected a value at position " + (t.at() + 1) + ", found '" + t.text()
            + "' (strings are quoted: '" + t.text() + "')");
      };
      default -> throw invalid("expected a value at position " + (t.at() + 1)
          + (t.kind() == Kind.END ? " (end of query)" : ", found '" + t.text() + "'"));
    };
  }

  private static boolean keyword(Token t) {
    return switch (t.text().toUpperCase(Locale.ROOT)) {
      case "AND", "OR", "NOT", "IN", "BETWEEN", "ORDER", "BY", "ASC", "DESC", "IS", "NULL", "STARTS_WITH",
           "TRUE", "FALSE", "LIKE", "GROUP", "LIMIT" -> true;
      default -> false;
    };
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private boolean isKeyword(String k) {
    Token t = peek();
    return t.kind() == Kind.NAME && t.text().equalsIgnoreCase(k);
  }

  private boolean acceptKeyword(String k) {
    if (isKeyword(k)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expectKeyword(String k) {
    if (!acceptKeyword(k)) {
      throw invalid("expected " + k + " at position " + (peek().at() + 1)
          + (peek().kind() == Kind.END ? " (end of query)" : ", found '" + peek().text() + "'"));
    }
  }

  private boolean acceptSymbol(String s) {
    Token t = peek();
    if (t.kind() == Kind.SYMBOL && t.text().equals(s)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expectSymbol(String s) {
    if (!acceptSymbol(s)) {
      throw invalid("expected '" + s + "' at position " + (peek().at() + 1)
          + (peek().kind() == Kind.END ? " (end of query)" : ", found '" + peek().text() + "'"));
    }
  }

  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        StringBuilder b = new StringBuilder();
        int start = i++;
        while (true) {
          if (i >= s.length()) {
            throw invalid("unterminated " + (c == '`' ? "name" : "string") + " starting at position " + (start + 1));
          }
          char d = s.charAt(i);
          if (d == '\\' && i + 1 < s.length()) {
            b.append(s.charAt(i + 1));
            i += 2;
          } else if (d == c && i + 1 < s.length() && s.charAt(i + 1) == c) {
            b.append(c);  // doubled quote
            i += 2;
          } else if (d == c) {
            i++;
            break;
          } else {
            b.append(d);
            i++;
          }
        }
        out.add(new Token(c == '`' ? Kind.QUOTED_NAME : Kind.STRING, b.toString(), start));
      } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        int start = i++;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE".indexOf(s.charAt(i)) >= 0
            || ((s.charAt(i) == '-' || s.charAt(i) == '+') && "eE".indexOf(s.charAt(i - 1)) >= 0))) {
          i++;
        }
        String n = s.substring(start, i);
        if (!n.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
          throw invalid("'" + n + "' at position " + (start + 1) + " is not a number");
        }
        out.add(new Token(Kind.NUMBER, n, start));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Token(Kind.NAME, s.substring(start, i), start));
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        if (two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
          out.add(new Token(Kind.SYMBOL, two, i));
          i += 2;
        } else if ("=<>(),".indexOf(c) >= 0) {
          out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
          i++;
        } else {
          throw invalid("unexpected character '" + c + "' at position " + (i + 1));
        }
      }
    }
    out.add(new Token(Kind.END, "", s.length()));
    return out;
  }

  static InvalidRequestException invalid(String detail) {
    return new InvalidRequestException(InvalidRequestException.INVALID_QUERY, detail);
  }

  static InvalidRequestException unsupported(String detail) {
    return new InvalidRequestException(InvalidRequestException.UNSUPPORTED_QUERY, detail);
  }
}
