package dev.sequent.runtime.io.torch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods of a TorchScript archive's {@code code/} file, parsed into statements and expressions
 * as far as the restricted Python that {@code torch.jit.save} prints needs: {@code def name(self:
 * T, x: Tensor) -> T:} signatures (over several lines), assignments (also tuple unpacking),
 * {@code return}, {@code if}/{@code elif}/{@code else} blocks, and expressions made of names,
 * attribute access, calls (positional and keyword arguments), subscripts, unary minus, numbers,
 * strings, {@code True}/{@code False}/{@code None}, list and tuple literals. Any other statement
 * ({@code for}, {@code while}, {@code raise}, ...) is kept as {@link Other} and any expression that
 * does not parse as {@link Unparsed}, so that running them refuses the file naming the construct
 * and its line; nothing is refused merely for being present in a method that is never called.
 */
final class TorchScriptSyntax {
  private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\(([^)]*)\\):");
  private static final Pattern DEF = Pattern.compile("^( *)def (\\w+)\\(");

  private TorchScriptSyntax() {}

  /** An expression. */
  sealed interface Expr {}

  record Name(String id) implements Expr {}

  record Attr(Expr target, String name) implements Expr {}

  record Call(Expr function, List<Expr> args, Map<String, Expr> kwargs) implements Expr {}

  /** A literal: Integer, Long, Double, Boolean, String, or {@code null} for None. */
  record Const(Object value) implements Expr {}

  record Sequence(List<Expr> items, boolean tuple) implements Expr {}

  record Index(Expr target, Expr index) implements Expr {}

  record Negate(Expr operand) implements Expr {}

  /** An expression this parser does not read (an operator, a lambda...): its text. */
  record Unparsed(String text) implements Expr {}

  /** A statement, with its line in the code file (1-based). */
  sealed interface Stmt {
    int line();
  }

  /** {@code a = e} or {@code a, b, c = e}. */
  record Assign(List<String> targets, Expr value, int line) implements Stmt {}

  record Return(Expr value, int line) implements Stmt {}

  record If(Expr condition, List<Stmt> then, List<Stmt> otherwise, int line) implements Stmt {}

  /** An expression evaluated for its effect ({@code ops.prim.RaiseException(...)}). */
  record Evaluate(Expr value, int line) implements Stmt {}

  /** A statement this parser does not read: its first line. */
  record Other(String text, int line) implements Stmt {}

  /**
   * A method or a free function: its name, its parameters' names ({@code self} first for a method),
   * their defaults where declared, its body and where it is.
   */
  record Method(String name, List<String> params, Map<String, Expr> defaults, List<Stmt> body, String file,
      int line) {}

  /** The class name under which {@link #parse} lists a file's free functions ({@code torch.nn.functional}'s). */
  static final String FUNCTIONS = "";

  /** The methods of each class of one code file, by class name then method name; free functions under {@link #FUNCTIONS}. */
  static Map<String, Map<String, Method>> parse(String file, String source) {
    String[] lines = source.split("\n", -1);
    Map<String, Map<String, Method>> classes = new LinkedHashMap<>();
    Map<String, Method> current = null;
    for (int i = 0; i < lines.length; i++) {
      Matcher c = CLASS.matcher(lines[i]);
      if (c.find()) {
        current = new LinkedHashMap<>();
        classes.put(c.group(1), current);
        continue;
      }
      Matcher d = DEF.matcher(lines[i]);
      if (!d.find()) {
        continue;
      }
      int defIndent = d.group(1).length();
      if (defIndent == 0) {
        current = classes.computeIfAbsent(FUNCTIONS, k -> new LinkedHashMap<>());
      } else if (current == null || defIndent != 2) {
        continue;
      }
      int defLine = i;
      StringBuilder signature = new StringBuilder(lines[i]);
      while (depth(signature) > 0 && i + 1 < lines.length) {
        signature.append(' ').append(lines[++i].trim());
      }
      int end = i + 1;
      while (end < lines.length && (lines[end].isBlank() || indent(lines[end]) > defIndent)) {
        end++;
      }
      List<Line> body = logicalLines(lines, i + 1, end);
      Map<String, Expr> defaults = new LinkedHashMap<>();
      current.put(d.group(2), new Method(d.group(2), params(signature.toString(), defaults), defaults,
          block(body, 0, body.size(), defIndent + 2), file, defLine + 1));
      i = end - 1;
    }
    return classes;
  }

  /** One statement's text (continuation lines joined) and its first line. */
  private record Line(String text, int indent, int number) {}

  private static List<Line> logicalLines(String[] lines, int from, int to) {
    List<Line> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (lines[i].isBlank() || lines[i].trim().startsWith("#")) {
        continue;
      }
      int first = i;
      StringBuilder text = new StringBuilder(lines[i].trim());
      while (depth(text) > 0 && i + 1 < to) {
        text.append(' ').append(lines[++i].trim());
      }
      out.add(new Line(text.toString(), indent(lines[first]), first + 1));
    }
    return out;
  }

  private static List<Stmt> block(List<Line> lines, int from, int to, int indent) {
    List<Stmt> out = new ArrayList<>();
    int i = from;
    while (i < to) {
      Line l = lines.get(i);
      if (l.indent() != indent) {
        out.add(new Other(l.text(), l.number()));
        i++;
        continue;
      }
      int end = i + 1;
      while (end < to && lines.get(end).indent() > indent) {
        end++;
      }
      if (l.text().startsWith("if ") && l.text().endsWith(":")) {
        Expr condition = expression(l.text().substring(3, l.text().length() - 1));
        List<Stmt> then = block(lines, i + 1, end, childIndent(lines, i + 1, end, indent));
        List<Stmt> otherwise = List.of();
        int next = end;
        if (next < to && lines.get(next).indent() == indent) {
          String t = lines.get(next).text();
          int elseEnd = next + 1;
          while (elseEnd < to && lines.get(elseEnd).indent() > indent) {
            elseEnd++;
          }
          if (t.equals("else:")) {
            otherwise = block(lines, next + 1, elseEnd, childIndent(lines, next + 1, elseEnd, indent));
            next = elseEnd;
          } else if (t.startsWith("elif ") && t.endsWith(":")) {
            // elif c: ... is if c: ... nested in the else branch
            List<Line> rest = new ArrayList<>(lines.subList(next, to));
            Line elif = rest.get(0);
            rest.set(0, new Line("if " + t.substring(5), elif.indent(), elif.number()));
            List<Stmt> nested = block(rest, 0, rest.size(), indent);
            otherwise = List.of(nested.get(0));
            // the nested block consumed its own else; skip what it read
            next = to - (rest.size() - consumed(rest, indent));
          }
        }
        out.add(new If(condition, then, otherwise, l.number()));
        i = next;
        continue;
      }
      if (end > i + 1) {
        out.add(new Other(l.text(), l.number())); // a for/while/with block
        i = end;
        continue;
      }
      out.add(statement(l));
      i++;
    }
    return out;
  }

  /** How many lines the if/elif/else chain at the start of {@code lines} spans. */
  private static int consumed(List<Line> lines, int indent) {
    int i = 1;
    while (i < lines.size() && (lines.get(i).indent() > indent || lines.get(i).text().startsWith("elif ")
        || lines.get(i).text().equals("else:"))) {
      i++;
    }
    return i;
  }

  private static int childIndent(List<Line> lines, int from, int to, int parent) {
    return from < to ? lines.get(from).indent() : parent + 2;
  }

  private static Stmt statement(Line l) {
    String t = l.text();
    if (t.startsWith("return ")) {
      return new Return(tuple(t.substring(7)), l.number());
    }
    if (t.equals("pass")) {
      return new Evaluate(new Const(null), l.number());
    }
    if (t.equals("return")) {
      return new Return(new Const(null), l.number());
    }
    int eq = assignment(t);
    if (eq > 0) {
      List<String> targets = new ArrayList<>();
      String left = t.substring(0, eq);
      if (left.contains(":") && !left.contains(",")) {
        left = left.substring(0, left.indexOf(':')); // an annotated assignment: _0 : Optional[int] = None
      }
      for (String target : left.split(",")) {
        if (!target.isBlank()) {
          targets.add(target.trim());
        }
      }
      if (targets.stream().allMatch(s -> s.matches("[A-Za-z_]\\w*"))) {
        return new Assign(targets, tuple(t.substring(eq + 1)), l.number());
      }
      return new Other(t, l.number());
    }
    if (t.startsWith("ops.") || t.startsWith("torch.") || t.startsWith("_")) {
      return new Evaluate(expression(t), l.number());
    }
    return new Other(t, l.number());
  }

  /** {@code a, b} (a tuple without parentheses, as {@code return a, b} prints it) or one expression. */
  private static Expr tuple(String text) {
    List<String> parts = splitTopLevel(text);
    if (parts.size() == 1) {
      return expression(text);
    }
    List<Expr> items = new ArrayList<>();
    for (String p : parts) {
      if (!p.isBlank()) {
        items.add(expression(p));
      }
    }
    return new Sequence(items, true);
  }

  /** The position of an assignment's '=' at bracket depth 0, or -1. */
  private static int assignment(String t) {
    int depth = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"' || c == '\'') {
        i = t.indexOf(c, i + 1);
        if (i < 0) {
          return -1;
        }
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == '=' && depth == 0) {
        boolean comparison = (i + 1 < t.length() && t.charAt(i + 1) == '=')
            || (i > 0 && "=!<>".indexOf(t.charAt(i - 1)) >= 0);
        return comparison ? -1 : i;
      }
    }
    return -1;
  }

  private static List<String> params(String signature, Map<String, Expr> defaults) {
    int open = signature.indexOf('(');
    int close = matching(signature, open);
    List<String> names = new ArrayList<>();
    for (String p : splitTopLevel(signature.substring(open + 1, close))) {
      int eq = assignment(p);
      String declared = eq > 0 ? p.substring(0, eq) : p;
      String name = declared.contains(":") ? declared.substring(0, declared.indexOf(':')).trim() : declared.trim();
      if (!name.isEmpty()) {
        names.add(name);
        if (eq > 0) {
          defaults.put(name, expression(p.substring(eq + 1)));
        }
      }
    }
    return names;
  }

  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        int close = s.indexOf(c, i + 1);
        i = close < 0 ? s.length() : close;
      } else if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  private static int matching(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth == 0) {
        return i;
      }
    }
    return s.length();
  }

  private static int depth(CharSequence s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        int close = s.toString().indexOf(c, i + 1);
        if (close < 0) {
          return depth;
        }
        i = close;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
    }
    return depth;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** Parses one expression; what does not parse, or leaves text over, is {@link Unparsed}. */
  static Expr expression(String text) {
    ExprParser p = new ExprParser(text.trim());
    try {
      Expr e = p.expr();
      p.space();
      return p.at == p.s.length() ? e : new Unparsed(text.trim());
    } catch (IllegalStateException e) {
      return new Unparsed(text.trim());
    }
  }

  private static final class ExprParser {
    final String s;
    int at;

    ExprParser(String s) {
      this.s = s;
    }

    Expr expr() {
      space();
      if (peek('-')) {
        at++;
        Expr operand = postfix();
        return operand instanceof Const c && c.value() instanceof Number n ? new Const(negate(n)) : new Negate(operand);
      }
      return postfix();
    }

    Expr postfix() {
      Expr e = primary();
      while (true) {
        space();
        if (peek('.')) {
          at++;
          e = new Attr(e, identifier());
        } else if (peek('(')) {
          at++;
          List<Expr> args = new ArrayList<>();
          Map<String, Expr> kwargs = new LinkedHashMap<>();
          arguments(')', args, kwargs);
          e = new Call(e, args, kwargs);
        } else if (peek('[')) {
          at++;
          Expr index = expr();
          space();
          expect(']');
          e = new Index(e, index);
        } else {
          return e;
        }
      }
    }

    Expr primary() {
      space();
      if (at >= s.length()) {
        throw new IllegalStateException("end");
      }
      char c = s.charAt(at);
      if (c == '(' || c == '[') {
        at++;
        List<Expr> items = new ArrayList<>();
        boolean comma = arguments(c == '(' ? ')' : ']', items, null);
        if (c == '(' && items.size() == 1 && !comma) {
          return items.get(0);
        }
        return new Sequence(items, c == '(');
      }
      if (c == '"' || c == '\'') {
        int end = s.indexOf(c, at + 1);
        if (end < 0) {
          throw new IllegalStateException("string");
        }
        String str = s.substring(at + 1, end);
        at = end + 1;
        return new Const(str);
      }
      if (Character.isDigit(c) || c == '.') {
        int start = at++;
        while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '.'
            || ((s.charAt(at) == '-' || s.charAt(at) == '+') && (s.charAt(at - 1) == 'e' || s.charAt(at - 1) == 'E')))) {
          at++;
        }
        return new Const(number(s.substring(start, at)));
      }
      String word = identifier();
      return switch (word) {
        case "True" -> new Const(Boolean.TRUE);
        case "False" -> new Const(Boolean.FALSE);
        case "None" -> new Const(null);
        default -> new Name(word);
      };
    }

    /** Items up to {@code close}; whether a comma was seen (a one-element tuple). */
    boolean arguments(char close, List<Expr> positional, Map<String, Expr> kwargs) {
      boolean comma = false;
      while (true) {
        space();
        if (peek(close)) {
          at++;
          return comma;
        }
        int start = at;
        if (kwargs != null && at < s.length() && Character.isJavaIdentifierStart(s.charAt(at))) {
          String name = identifier();
          space();
          if (peek('=') && !(at + 1 < s.length() && s.charAt(at + 1) == '=')) {
            at++;
            kwargs.put(name, expr());
          } else {
            at = start;
            positional.add(expr());
          }
        } else {
          positional.add(expr());
        }
        space();
        if (peek(',')) {
          at++;
          comma = true;
        } else {
          expect(close);
          return comma;
        }
      }
    }

    String identifier() {
      space();
      if (at >= s.length() || !Character.isJavaIdentifierStart(s.charAt(at))) {
        throw new IllegalStateException("identifier");
      }
      int start = at;
      while (at < s.length() && Character.isJavaIdentifierPart(s.charAt(at))) {
        at++;
      }
      return s.substring(start, at);
    }

    boolean peek(char c) {
      return at < s.length() && s.charAt(at) == c;
    }

    void expect(char c) {
      space();
      if (!peek(c)) {
        throw new IllegalStateException("expected " + c);
      }
      at++;
    }

    void space() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
        at++;
      }
    }

    private static Object number(String text) {
      if (text.matches("\\d+")) {
        long v = Long.parseLong(text);
        return v == (int) v ? (Object) (int) v : (Object) v;
      }
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("number " + text);
      }
    }

    private static Number negate(Number n) {
      if (n instanceof Integer i) {
        return -i;
      }
      if (n instanceof Long l) {
        return -l;
      }
      return -n.doubleValue();
    }
  }
}
