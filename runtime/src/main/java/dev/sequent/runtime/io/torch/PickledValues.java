package dev.sequent.runtime.io.torch;

import java.util.Arrays;
import java.util.List;

/** Unpickled attribute values as {@link TorchModule} keeps them. */
final class PickledValues {
  private PickledValues() {}

  /** Tuples and lists become Lists; numbers, booleans, strings and None stay; anything else its text. */
  static Object plain(Object v) {
    if (v instanceof Object[] tuple) {
      return Arrays.stream(tuple).map(PickledValues::plain).toList();
    }
    if (v instanceof List<?> list) {
      return list.stream().map(PickledValues::plain).toList();
    }
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    return String.valueOf(v);
  }
}
