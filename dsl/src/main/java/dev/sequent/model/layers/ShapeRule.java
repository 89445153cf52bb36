package dev.sequent.model.layers;

import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A shape written as a small expression over the input's sample shape, so that a custom layer's
 * output and parameter shapes can be checked at compile time without running user code.
 *
 * <p>A rule is a comma-separated list of items. Each item is either a slice of the input that
 * expands to several dimensions ({@code in} for the whole shape, {@code in[1:]}, {@code in[:-1]})
 * or one integer expression using {@code in[i]} (negative i counts from the end), integer
 * literals, {@code + - * /} (integer division) and parentheses. Examples: {@code "in"} (same shape
 * as the input), {@code "in[:-1]"} (drop the last axis), {@code "in[-1]"} (a vector as long as the
 * last axis), {@code "in[:-1], 2*in[-1]"}.
 */
public final class ShapeRule {
  private final String text;

  private ShapeRule(String text) {
    this.text = text;
  }

  /** Parses {@code text}, failing with the position of the first syntax error. */
  public static ShapeRule parse(String text) {
    ShapeRule rule = new ShapeRule(text);
    // Evaluate against a large symbolic-free probe only to surface syntax errors now.
    new Evaluator(text, null).items();
    return rule;
  }

  public String text() {
    return text;
  }

  /** The shape this rule gives for {@code input}, or a {@link ShapeException} saying why not. */
  public Shape apply(Shape input) {
    List<Integer> dims = new Evaluator(text, input).items();
    for (int d : dims) {
      if (d <= 0) {
        throw new ShapeException("rule \"" + text + "\" gives " + dims + " for input " + input
            + "; every dimension must be positive");
      }
    }
    return new Shape(dims);
  }

  @Override
  public String toString() {
    return text;
  }

  /** Recursive-descent evaluator; with a null input it only checks syntax. */
  private static final class Evaluator {
    private final String s;
    private final Shape in;
    private int pos;

    Evaluator(String s, Shape in) {
      this.s = s;
      this.in = in;
    }

    List<Integer> items() {
      List<Integer> out = new ArrayList<>();
      skip();
      if (pos == s.length()) {
        return out; // the empty rule: a scalar
      }
      while (true) {
        item(out);
        skip();
        if (pos == s.length()) {
          return out;
        }
        expect(',');
      }
    }

    private void item(List<Integer> out) {
      int save = pos;
      if (s.startsWith("in", pos)) {
        pos += 2;
        skip();
        if (pos == s.length() || s.charAt(pos) == ',') {
          if (in != null) {
            out.addAll(in.dims());
          }
          return;
        }
        if (s.charAt(pos) == '[' && isSlice()) {
          pos++;
          Integer from = optionalInt();
          expect(':');
          Integer to = optionalInt();
          expect(']');
          if (in != null) {
            int r = in.rank();
            int a = from == null ? 0 : norm(from, r, true);
            int b = to == null ? r : norm(to, r, true);
            for (int i = a; i < b; i++) {
              out.add(in.dim(i));
            }
          }
          return;
        }
      }
      pos = save;
      out.add(expr());
    }

    private boolean isSlice() {
      int close = s.indexOf(']', pos);
      return close > 0 && s.substring(pos, close).contains(":");
    }

    private int expr() {
      int v = term();
      while (true) {
        skip();
        if (peek('+')) {
          pos++;
          v += term();
        } else if (peek('-')) {
          pos++;
          v -= term();
        } else {
          return v;
        }
      }
    }

    private int term() {
      int v = factor();
      while (true) {
        skip();
        if (peek('*')) {
          pos++;
          v *= factor();
        } else if (peek('/')) {
          pos++;
          int d = factor();
          if (d == 0 && in != null) {
            throw new ShapeException("rule \"" + s + "\" divides by zero for input " + in);
          }
          v = d == 0 ? 0 : v / d;
        } else {
          return v;
        }
      }
    }

    private int factor() {
      skip();
      if (peek('(')) {
        pos++;
        int v = expr();
        expect(')');
        return v;
      }
      if (s.startsWith("in", pos)) {
        pos += 2;
        expect('[');
        int i = signedInt();
        expect(']');
        if (in == null) {
          return 1;
        }
        if (i >= in.rank() || i < -in.rank()) {
          throw new ShapeException("rule \"" + s + "\" reads in[" + i + "] but the input " + in
              + " has rank " + in.rank());
        }
        return in.dim(i);
      }
      return signedInt();
    }

    private Integer optionalInt() {
      skip();
      if (peek(':') || peek(']')) {
        return null;
      }
      return signedInt();
    }

    private int signedInt() {
      skip();
      int start = pos;
      if (peek('-')) {
        pos++;
      }
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos || (pos == start + 1 && s.charAt(start) == '-')) {
        throw syntax("a number or in[i]");
      }
      return Integer.parseInt(s.substring(start, pos));
    }

    private int norm(int i, int rank, boolean clamp) {
      int v = i < 0 ? rank + i : i;
      return clamp ? Math.max(0, Math.min(rank, v)) : v;
    }

    private boolean peek(char c) {
      return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
      skip();
      if (!peek(c)) {
        throw syntax("'" + c + "'");
      }
      pos++;
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private ShapeException syntax(String expected) {
      return new ShapeException("rule \"" + s + "\": expected " + expected + " at position " + pos);
    }
  }
}
