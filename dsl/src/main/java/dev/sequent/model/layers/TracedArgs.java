package dev.sequent.model.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How aten calls spell the arguments that PyTorch modules keep as attributes. */
final class TracedArgs {
  private TracedArgs() {}

  /** An int or a list of ints as PyTorch's module attributes hold them: a 2-list stays, an int doubles. */
  static Object pair(Object v) {
    if (v instanceof Integer i) {
      return List.of(i, i);
    }
    if (v instanceof List<?> list && list.size() == 1) {
      return List.of(list.get(0), list.get(0));
    }
    return v;
  }

  /** aten pooling's empty stride means "the kernel size". */
  static Object strideOr(Object stride, Object kernel) {
    return stride instanceof List<?> l && l.isEmpty() ? kernel : pair(stride);
  }

  /** One attribute, which may be null (the call left it to the module's default). */
  static Map<String, Object> single(String key, Object value) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(key, value);
    return a;
  }
}
