package dev.sequent.runtime.io.torch.export;

import java.util.Map;

/**
 * The {@code ScalarType} numbers of torch/_export/serde/schema.py, by the dtype names
 * {@link dev.sequent.runtime.io.Float32Conversion} uses.
 */
final class ScalarTypes {
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(1, "uint8"), Map.entry(2, "int8"), Map.entry(3, "int16"), Map.entry(4, "int32"),
      Map.entry(5, "int64"), Map.entry(6, "float16"), Map.entry(7, "float32"), Map.entry(8, "float64"),
      Map.entry(12, "bool"), Map.entry(13, "bfloat16"));

  private ScalarTypes() {}

  /** The dtype's name, or {@code scalar type N} for one Sequent does not read (complex, float8, ...). */
  static String name(int scalarType) {
    return NAMES.getOrDefault(scalarType, "scalar type " + scalarType);
  }

  /** Whether values of this type are integer ids (an embedding's input). */
  static boolean isInteger(int scalarType) {
    return scalarType >= 1 && scalarType <= 5;
  }

  /** Whether values of this type are floating point (a float mask; a boolean one is not). */
  static boolean isFloating(int scalarType) {
    return scalarType == 6 || scalarType == 7 || scalarType == 8 || scalarType == 13;
  }
}
