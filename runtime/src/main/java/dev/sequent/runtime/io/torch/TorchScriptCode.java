package dev.sequent.runtime.io.torch;

import dev.sequent.model.kind.TracedCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little Sequent reads from a TorchScript archive's {@code code/} files, which hold each
 * compiled class as Python-like source. Nothing is executed and no general parser is attempted;
 * per class only:
 *
 * <ul>
 *   <li>{@code __parameters__ = ["weight", "bias", ]} and {@code __buffers__ = [...]}: which
 *       tensor attributes the state_dict lists, in its order;
 *   <li>constants, {@code stride : Final[Tuple[int, int]] = (1, 1)}: {@code torch.jit.script}
 *       turns a module's {@code __constants__} (kernel_size, stride, eps, dim, ...) into these and
 *       they are nowhere else in the archive;
 *   <li>the {@code torch.<op>(...)} calls of {@code forward}, with literal arguments: a traced
 *       module has no constants, its hyperparameters survive only inlined into these calls.
 * </ul>
 *
 * A class {@code __torch__.a.b.C} lives in {@code code/__torch__/a/b.py}, next to other classes.
 */
final class TorchScriptCode {
  private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\(([^)]*)\\):");
  private static final Pattern CONSTANT = Pattern.compile("^  (\\w+) : Final\\[.*?\\] = (.*)$");
  private static final Pattern LIST_ATTRIBUTE = Pattern.compile("^  (__parameters__|__buffers__) = (\\[.*\\])$");
  private static final Pattern OP_CALL = Pattern.compile("(?<![\\w.])torch\\.(\\w+)\\(");

  /** A class as its code file declares it. {@code parameters}/{@code buffers} are null if not declared. */
  record ClassInfo(String name, boolean module, List<String> parameters, List<String> buffers,
      Map<String, Object> constants, List<OpCall> forwardCalls) {}

  /** {@code torch.op(args..., key=value...)} with literal arguments; other expressions are {@link Expr}. */
  record OpCall(String op, List<Object> args, Map<String, Object> kwargs) implements TracedCall {
    /** The argument at {@code index} or named {@code name}, else {@code fallback}. */
    @Override
    public Object arg(int index, String name, Object fallback) {
      if (index < args.size()) {
        return args.get(index);
      }
      return kwargs.getOrDefault(name, fallback);
    }
  }

  /** An argument that is not a literal: a variable ({@code weight}, {@code argument_1}) or an expression. */
  record Expr(String text) {}

  private final Function<String, Optional<String>> files;
  private final Map<String, Map<String, ClassInfo>> parsed = new HashMap<>();

  /** @param files the text of a file under {@code code/}, by its path below {@code code/} */
  TorchScriptCode(Function<String, Optional<String>> files) {
    this.files = files;
  }

  /** The text of the file {@code code/<path>}, if the archive has it. */
  Optional<String> source(String path) {
    return files.apply(path);
  }

  /** The class named {@code __torch__.a.b.C} in a pickle, if its code file declares it. */
  Optional<ClassInfo> classInfo(String qualifiedName) {
    int dot = qualifiedName.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String file = qualifiedName.substring(0, dot).replace('.', '/') + ".py";
    Map<String, ClassInfo> classes = parsed.computeIfAbsent(file,
        f -> files.apply(f).map(TorchScriptCode::parse).orElse(Map.of()));
    return Optional.ofNullable(classes.get(qualifiedName.substring(dot + 1)));
  }

  static Map<String, ClassInfo> parse(String source) {
    Map<String, ClassInfo> classes = new LinkedHashMap<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher c = CLASS.matcher(lines[i]);
      if (!c.find()) {
        continue;
      }
      int end = i + 1;
      while (end < lines.length && (lines[end].isEmpty() || lines[end].startsWith(" "))) {
        end++;
      }
      classes.put(c.group(1), parseClass(c.group(1), c.group(2).trim().equals("Module"), lines, i + 1, end));
      i = end - 1;
    }
    return classes;
  }

  private static ClassInfo parseClass(String name, boolean module, String[] lines, int from, int to) {
    List<String> parameters = null;
    List<String> buffers = null;
    Map<String, Object> constants = new LinkedHashMap<>();
    StringBuilder forward = null;
    for (int i = from; i < to; i++) {
      String line = lines[i];
      Matcher m;
      if (line.startsWith("  def ")) {
        forward = line.startsWith("  def forward(") ? new StringBuilder() : null;
        continue;
      }
      if (forward != null) {
        forward.append(line).append('\n');
      } else if ((m = CONSTANT.matcher(line)).find()) {
        Literal value = new Literal(m.group(2));
        Object v = value.value();
        if (value.atEnd()) {
          constants.put(m.group(1), v);
        }
      } else if ((m = LIST_ATTRIBUTE.matcher(line)).find()) {
        List<String> names = new ArrayList<>();
        if (new Literal(m.group(2)).value() instanceof List<?> list) {
          list.forEach(n -> names.add(String.valueOf(n)));
        }
        if (m.group(1).equals("__parameters__")) {
          parameters = names;
        } else {
          buffers = names;
        }
      }
    }
    return new ClassInfo(name, module, parameters, buffers, constants,
        forward == null ? List.of() : calls(forward.toString()));
  }

  /** Every {@code torch.op(...)} call in a method body, in order. */
  static List<OpCall> calls(String body) {
    List<OpCall> calls = new ArrayList<>();
    Matcher m = OP_CALL.matcher(body);
    while (m.find()) {
      Literal args = new Literal(body.substring(m.end()));
      List<Object> positional = new ArrayList<>();
      Map<String, Object> kwargs = new LinkedHashMap<>();
      args.arguments(positional, kwargs);
      calls.add(new OpCall(m.group(1), positional, kwargs));
    }
    return calls;
  }

  /**
   * A reader of the literals TorchScript prints: ints, floats ({@code 1.}, {@code 1e-05}), strings,
   * True/False/None, lists and tuples. Anything else is kept as an {@link Expr} of its text.
   */
  private static final class Literal {
    private final String s;
    private int at;

    Literal(String s) {
      this.s = s;
    }

    boolean atEnd() {
      skipSpace();
      return at >= s.length() || s.charAt(at) == '#';
    }

    /** The arguments up to the closing parenthesis of a call whose '(' was just passed. */
    void arguments(List<Object> positional, Map<String, Object> kwargs) {
      while (true) {
        skipSpace();
        if (at >= s.length() || s.charAt(at) == ')') {
          return;
        }
        int start = at;
        String name = identifier();
        skipSpace();
        if (name != null && at < s.length() && s.charAt(at) == '=' && !s.startsWith("==", at)) {
          at++;
          kwargs.put(name, value());
        } else {
          at = start;
          positional.add(value());
        }
        skipSpace();
        if (at < s.length() && s.charAt(at) == ',') {
          at++;
        } else {
          return;
        }
      }
    }

    Object value() {
      skipSpace();
      if (at >= s.length()) {
        return new Expr("");
      }
      char c = s.charAt(at);
      if (c == '[' || c == '(') {
        int start = at;
        at++;
        List<Object> items = new ArrayList<>();
        char close = c == '[' ? ']' : ')';
        while (true) {
          skipSpace();
          if (at >= s.length()) {
            return new Expr(s.substring(start));
          }
          if (s.charAt(at) == close) {
            at++;
            return items;
          }
          items.add(value());
          skipSpace();
          if (at < s.length() && s.charAt(at) == ',') {
            at++;
          } else if (at >= s.length() || s.charAt(at) != close) {
            return new Expr(s.substring(start, Math.min(at, s.length())));
          }
        }
      }
      if (c == '"' || c == '\'') {
        int end = s.indexOf(c, at + 1);
        if (end < 0) {
          at = s.length();
          return new Expr(s);
        }
        String str = s.substring(at + 1, end);
        at = end + 1;
        return str;
      }
      if (c == '-' || c == '.' || Character.isDigit(c)) {
        int start = at++;
        while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '.'
            || ((s.charAt(at) == '-' || s.charAt(at) == '+') && (s.charAt(at - 1) == 'e' || s.charAt(at - 1) == 'E')))) {
          at++;
        }
        return number(s.substring(start, at));
      }
      int start = at;
      String word = identifier();
      if (word == null) {
        at++;
        return new Expr(String.valueOf(c));
      }
      switch (word) {
        case "True" -> {
          return Boolean.TRUE;
        }
        case "False" -> {
          return Boolean.FALSE;
        }
        case "None" -> {
          return null;
        }
        default -> {
          // a variable, attribute or call: skip over a call's parentheses, keep the text
          while (at < s.length() && (s.charAt(at) == '.' || Character.isJavaIdentifierPart(s.charAt(at)))) {
            at++;
          }
          if (at < s.length() && s.charAt(at) == '(') {
            int depth = 0;
            do {
              char ch = s.charAt(at);
              depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
              at++;
            } while (depth > 0 && at < s.length());
          }
          return new Expr(s.substring(start, at));
        }
      }
    }

    private static Object number(String text) {
      try {
        if (text.matches("-?\\d+")) {
          long v = Long.parseLong(text);
          return v == (int) v ? (Object) (int) v : (Object) v;
        }
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return new Expr(text);
      }
    }

    private String identifier() {
      if (at >= s.length() || !Character.isJavaIdentifierStart(s.charAt(at))) {
        return null;
      }
      int start = at;
      while (at < s.length() && Character.isJavaIdentifierPart(s.charAt(at))) {
        at++;
      }
      return s.substring(start, at);
    }

    private void skipSpace() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
        at++;
      }
    }
  }
}
