package dev.sequent.runtime.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dtype policy of the PyTorch and safetensors readers, and the conversions behind it. Sequent
 * computes in float32, so:
 *
 * <ul>
 *   <li>float32 is copied as is;
 *   <li>float16 and bfloat16 are widened (exact), float64 is rounded to the nearest float32; each
 *       file that needed this gets one warning naming the file and every converted tensor;
 *   <li>integer and bool tensors are refused, except BatchNorm's {@code num_batches_tracked}
 *       counter (an int64 buffer no computation uses): an integer tensor where a weight belongs is
 *       a quantized or otherwise foreign model, and turning its raw integers into float weights
 *       would produce a model that runs and computes nonsense.
 * </ul>
 *
 * <p>Dtypes are named as PyTorch names them ({@code float32}, {@code bfloat16}, {@code int64}, ...).
 * One instance per file read; not thread-safe.
 */
public final class Float32Conversion {
  private static final Logger LOG = LoggerFactory.getLogger(Float32Conversion.class);

  private final Path file;
  private final Map<String, List<String>> converted = new LinkedHashMap<>();

  public Float32Conversion(Path file) {
    this.file = file;
  }

  /** Bytes per element of a dtype, or -1 for one Sequent does not know. */
  public static int itemSize(String dtype) {
    return switch (dtype) {
      case "float64", "int64" -> 8;
      case "float32", "int32" -> 4;
      case "float16", "bfloat16", "int16" -> 2;
      case "int8", "uint8", "bool" -> 1;
      default -> -1;
    };
  }

  /**
   * Checks that tensor {@code name} of this dtype may be read as float32 weights, noting a
   * conversion for the warning.
   *
   * @throws WeightFileException for an unknown dtype or an integer tensor other than a counter
   */
  public void admit(String name, String dtype) {
    if (itemSize(dtype) < 0) {
      throw new WeightFileException(file, "tensor " + name + " has dtype " + dtype
          + ", which Sequent cannot read (float32, float64, float16, bfloat16 are read as float32)");
    }
    switch (dtype) {
      case "float32" -> { }
      case "float64", "float16", "bfloat16" -> converted.computeIfAbsent(dtype, d -> new ArrayList<>()).add(name);
      default -> {
        if (!isCounter(name)) {
          throw new WeightFileException(file, "tensor " + name + " is " + dtype + ": integer tensors are not "
              + "weights Sequent can use (only BatchNorm's num_batches_tracked counter may be an integer; "
              + "quantized models are not supported)");
        }
      }
    }
  }

  /** Logs one warning listing every converted tensor, if there was any. */
  public void warnIfConverted() {
    if (!converted.isEmpty()) {
      LOG.warn("{}: converted to float32 (Sequent computes in float32): {}", file, converted.entrySet().stream()
          .map(e -> e.getKey() + " " + String.join(", ", e.getValue()))
          .collect(Collectors.joining("; ")));
    }
  }

  private static boolean isCounter(String name) {
    return name.equals("num_batches_tracked") || name.endsWith(".num_batches_tracked");
  }

  /** Fills {@code out} from {@code out.length} consecutive elements starting at byte {@code at}. */
  public static void contiguous(ByteBuffer b, String dtype, int at, float[] out) {
    if (dtype.equals("float32")) {
      b.slice(at, out.length * 4).order(b.order()).asFloatBuffer().get(out);
      return;
    }
    int size = itemSize(dtype);
    for (int i = 0; i < out.length; i++) {
      out[i] = element(b, dtype, at + i * size);
    }
  }

  /** One element at byte {@code at}, in the buffer's byte order. */
  public static float element(ByteBuffer b, String dtype, int at) {
    return switch (dtype) {
      case "float32" -> b.getFloat(at);
      case "float64" -> (float) b.getDouble(at);
      case "float16" -> HalfFloats.fromHalf(b.getShort(at));
      case "bfloat16" -> HalfFloats.fromBfloat16(b.getShort(at));
      case "int64" -> (float) b.getLong(at);
      case "int32" -> (float) b.getInt(at);
      case "int16" -> b.getShort(at);
      case "int8" -> b.get(at);
      default -> b.get(at) & 0xff; // uint8, bool
    };
  }
}
