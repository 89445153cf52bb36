package dev.sequent.processor;

import dev.sequent.model.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The small expression language of block arguments, {@code @Bind} and {@code @If}: integer and
 * boolean literals, parameter names, {@code in[i]} (the block input's sample shape, negative i from
 * the end), {@code + - * / %}, comparisons, {@code && || !}, {@code c ? a : b} and parentheses.
 * Values are {@code Integer} or {@code Boolean}; mixing them is an error naming both, so a block
 * argument of the wrong type is caught at compile time.
 */
final class BlockExpression {

  /** A syntax, name or type error, with the text at fault. */
  static final class Error extends RuntimeException {
    Error(String message) {
      super(message, null, false, false);
    }
  }

  /** One {@code name = expression} of an argument list. */
  record Assignment(String name, String expression) {}

  /** A parameter declaration {@code "int stride = 1"}: type, name, default expression or null. */
  record Declaration(String type, String name, String defaultExpression) {}

  private BlockExpression() {}

  /** {@code "planes = 128, stride = 2"} into its assignments, in order; empty text is none. */
  static List<Assignment> assignments(String text) {
    List<Assignment> out = new ArrayList<>();
    if (text.isBlank()) {
      return out;
    }
    for (String part : splitTopLevel(text)) {
      int eq = assignmentSign(part);
      if (eq < 0) {
        throw new Error("expected name = expression, found \"" + part.strip() + "\"");
      }
      String name = part.substring(0, eq).strip();
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new Error("\"" + name + "\" is not a name, in \"" + part.strip() + "\"");
      }
      String expression = part.substring(eq + 1).strip();
      if (expression.isEmpty()) {
        throw new Error("no value for " + name);
      }
      out.add(new Assignment(name, expression));
    }
    return out;
  }

  /** {@code "int planes"} or {@code "boolean residual = true"}. */
  static Declaration declaration(String text) {
    int eq = assignmentSign(text);
    String head = (eq < 0 ? text : text.substring(0, eq)).strip();
    String[] words = head.split("\\s+");
    if (words.length != 2 || !(words[0].equals("int") || words[0].equals("boolean"))
        || !words[1].matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new Error("a block parameter is declared as \"int name\", \"int name = 1\" or \"boolean name = true\"; found \""
          + text.strip() + "\"");
    }
    return new Declaration(words[0], words[1], eq < 0 ? null : text.substring(eq + 1).strip());
  }

  /** The Java type name of a value: {@code int} or {@code boolean}. */
  static String typeOf(Object value) {
    return value instanceof Boolean ? "boolean" : "int";
  }

  /**
   * Evaluates {@code text}.
   *
   * @param names the parameters in scope
   * @param input the input's sample shape, asked for only when the text uses {@code in}
   */
  static Object evaluate(String text, Map<String, Object> names, Supplier<Shape> input) {
    Parser p = new Parser(text, names, input);
    Object v = p.ternary();
    p.skip();
    if (p.pos < text.length()) {
      throw new Error("unexpected \"" + text.substring(p.pos) + "\" in \"" + text + "\"");
    }
    return v;
  }

  private static int assignmentSign(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '=') {
        char before = i > 0 ? s.charAt(i - 1) : ' ';
        char after = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
        if (after != '=' && before != '=' && before != '!' && before != '<' && before != '>') {
          return i;
        }
        i++; // skip the second character of ==
      }
    }
    return -1;
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Recursive descent, one method per precedence level. */
  private static final class Parser {
    private final String s;
    private final Map<String, Object> names;
    private final Supplier<Shape> input;
    private int pos;

    Parser(String s, Map<String, Object> names, Supplier<Shape> input) {
      this.s = s;
      this.names = names;
      this.input = input;
    }

    Object ternary() {
      Object c = or();
      if (eat("?")) {
        boolean cond = bool(c, "?");
        Object a = ternary();
        expect(":");
        Object b = ternary();
        if (!typeOf(a).equals(typeOf(b))) {
          throw new Error("the two branches of ?: have different types (" + typeOf(a) + " and " + typeOf(b)
              + ") in \"" + s + "\"");
        }
        return cond ? a : b;
      }
      return c;
    }

    Object or() {
      Object v = and();
      while (eat("||")) {
        boolean left = bool(v, "||");
        boolean right = bool(and(), "||");
        v = left || right;
      }
      return v;
    }

    Object and() {
      Object v = comparison();
      while (eat("&&")) {
        boolean left = bool(v, "&&");
        boolean right = bool(comparison(), "&&");
        v = left && right;
      }
      return v;
    }

    Object comparison() {
      Object a = sum();
      for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
        if (eat(op)) {
          Object b = sum();
          if (op.equals("==") || op.equals("!=")) {
            if (!typeOf(a).equals(typeOf(b))) {
              throw new Error("cannot compare " + typeOf(a) + " with " + typeOf(b) + " in \"" + s + "\"");
            }
            return op.equals("==") == a.equals(b);
          }
          int x = integer(a, op);
          int y = integer(b, op);
          return switch (op) {
            case "<=" -> x <= y;
            case ">=" -> x >= y;
            case "<" -> x < y;
            default -> x > y;
          };
        }
      }
      return a;
    }

    Object sum() {
      Object v = product();
      while (true) {
        if (eat("+")) {
          v = integer(v, "+") + integer(product(), "+");
        } else if (peekMinus()) {
          pos++;
          v = integer(v, "-") - integer(product(), "-");
        } else {
          return v;
        }
      }
    }

    Object product() {
      Object v = unary();
      while (true) {
        if (eat("*")) {
          v = integer(v, "*") * integer(unary(), "*");
        } else if (eat("/") || eat("%")) {
          char op = s.charAt(pos - 1);
          int a = integer(v, String.valueOf(op));
          int b = integer(unary(), String.valueOf(op));
          if (b == 0) {
            throw new Error("division by zero in \"" + s + "\"");
          }
          v = op == '/' ? a / b : a % b;
        } else {
          return v;
        }
      }
    }

    Object unary() {
      if (peekMinus()) {
        pos++;
        return -integer(unary(), "-");
      }
      if (peek("!") && !peek("!=")) {
        pos++;
        return !bool(unary(), "!");
      }
      return atom();
    }

    Object atom() {
      skip();
      if (eat("(")) {
        Object v = ternary();
        expect(")");
        return v;
      }
      int start = pos;
      if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        if (pos < s.length() && (s.charAt(pos) == '.' || Character.isLetter(s.charAt(pos)))) {
          throw new Error("\"" + word(start) + "\" is not an int (block values are int or boolean) in \"" + s + "\"");
        }
        return Integer.parseInt(s.substring(start, pos));
      }
      if (pos < s.length() && (Character.isLetter(s.charAt(pos)) || s.charAt(pos) == '_')) {
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
          pos++;
        }
        String name = s.substring(start, pos);
        if (name.equals("true") || name.equals("false")) {
          return Boolean.parseBoolean(name);
        }
        if (name.equals("in")) {
          expect("[");
          Object index = ternary();
          expect("]");
          Shape shape = input.get();
          int i = integer(index, "in[]");
          int at = i < 0 ? shape.rank() + i : i;
          if (at < 0 || at >= shape.rank()) {
            throw new Error("in[" + i + "] is outside the input shape " + shape);
          }
          return shape.dim(at);
        }
        Object v = names.get(name);
        if (v == null) {
          throw new Error("no parameter named " + name + " (in scope: " + String.join(", ", names.keySet()) + ")"
              + dev.sequent.model.ShapeInference.didYouMean(name, names.keySet()));
        }
        return v;
      }
      throw new Error(pos < s.length() ? "unexpected \"" + s.substring(pos) + "\" in \"" + s + "\""
          : "\"" + s + "\" ends too early");
    }

    private String word(int start) {
      int end = start;
      while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && ",)]".indexOf(s.charAt(end)) < 0) {
        end++;
      }
      return s.substring(start, end);
    }

    private int integer(Object v, String op) {
      if (v instanceof Integer i) {
        return i;
      }
      throw new Error(op + " needs an int but got " + v + " (boolean) in \"" + s + "\"");
    }

    private boolean bool(Object v, String op) {
      if (v instanceof Boolean b) {
        return b;
      }
      throw new Error(op + " needs a boolean but got " + v + " (int) in \"" + s + "\"");
    }

    private boolean peekMinus() {
      skip();
      return pos < s.length() && s.charAt(pos) == '-';
    }

    private boolean peek(String token) {
      skip();
      return s.startsWith(token, pos);
    }

    boolean eat(String token) {
      if (peek(token)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    void expect(String token) {
      if (!eat(token)) {
        throw new Error("expected \"" + token + "\" at " + (pos < s.length() ? "\"" + s.substring(pos) + "\"" : "the end")
            + " in \"" + s + "\"");
      }
    }

    void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }

  /** Arguments in order of declaration, for messages: {@code planes = 128, stride = 2}. */
  static String describe(Map<String, Object> values) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : new LinkedHashMap<>(values).entrySet()) {
      parts.add(e.getKey() + " = " + e.getValue());
    }
    return String.join(", ", parts);
  }
}
