package dev.sequent.processor;

import java.util.Map;

/**
 * A name written as a pattern, {@code "block{i + 1}"}: literal text with {@code {expression}}
 * parts, each a {@link BlockExpression} that must be an int, as Python's f-strings build Keras
 * layer names ({@code f"{name}_block{i}"}). The result must be a name: non-empty, and, where the
 * names are a module tree's dotted paths (PyTorch), without a dot, which would make one child look
 * like two levels of the structure. Keras names are plain strings and may hold {@code _} freely.
 */
final class NamePattern {
  private NamePattern() {}

  /**
   * The pattern with every {@code {expression}} replaced by its value over {@code names}; {@code
   * separator} is the text a name may not contain (null: any).
   */
  static String expand(String pattern, Map<String, Object> names, String separator) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < pattern.length()) {
      char c = pattern.charAt(at);
      if (c == '}') {
        throw new BlockExpression.Error("\"}\" without \"{\" in the name pattern \"" + pattern + "\"");
      }
      if (c != '{') {
        out.append(c);
        at++;
        continue;
      }
      int close = pattern.indexOf('}', at);
      int nested = pattern.indexOf('{', at + 1);
      if (close < 0 || nested >= 0 && nested < close) {
        throw new BlockExpression.Error("\"{\" without \"}\" in the name pattern \"" + pattern + "\"");
      }
      String expression = pattern.substring(at + 1, close);
      if (expression.isBlank()) {
        throw new BlockExpression.Error("empty {} in the name pattern \"" + pattern + "\"");
      }
      Object value = BlockExpression.evaluate(expression, names, () -> {
        throw new BlockExpression.Error("in[...] is not available in a name pattern: a name cannot depend on a shape");
      });
      if (!(value instanceof Integer)) {
        throw new BlockExpression.Error("{" + expression + "} in the name pattern \"" + pattern + "\" is "
            + BlockExpression.typeOf(value) + "; a name part must be an int");
      }
      out.append(value);
      at = close + 1;
    }
    String name = out.toString();
    if (name.isBlank()) {
      throw new BlockExpression.Error("the name pattern \"" + pattern + "\" gives an empty name");
    }
    if (separator != null && name.contains(separator)) {
      throw new BlockExpression.Error("the name pattern \"" + pattern + "\" gives \"" + name + "\", which contains \""
          + separator + "\", the separator of module paths");
    }
    return name;
  }
}
