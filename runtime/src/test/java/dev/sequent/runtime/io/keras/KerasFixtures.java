package dev.sequent.runtime.io.keras;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keras fixtures made by {@code fixtures/io/make_keras_io_fixtures.py} with real Keras, and
 * what Keras itself reported about each file ({@code expected/<file>.json} and {@code .npy}).
 */
final class KerasFixtures {
  static final List<String> MODELS = List.of("sequential", "functional", "mixed");

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private KerasFixtures() {}

  /** {@code <repo>/fixtures/io/keras}, found through {@code -Dsequent.fixtures} or {@code ../fixtures}. */
  static Path kerasDir() {
    String property = System.getProperty("sequent.fixtures");
    Path fixtures = property != null && !property.isBlank() ? Paths.get(property) : Paths.get("..", "fixtures");
    Path dir = fixtures.resolve("io").resolve("keras");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Keras fixtures not found at " + dir.toAbsolutePath()
          + "; run fixtures/io/make_keras_io_fixtures.py");
    }
    return dir;
  }

  static Path file(String model, String fileName) {
    return kerasDir().resolve(model).resolve(fileName);
  }

  /** What Keras reported after loading {@code model/fileName} back. */
  static KerasView view(String model, String fileName) {
    Path json = kerasDir().resolve(model).resolve("expected").resolve(fileName + ".json");
    try {
      return JSON.readValue(json.toFile(), KerasView.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values Keras reported for one weight, as float32 the way the reader must produce them. */
  static float[] values(String model, String fileName, WeightView weight) {
    Path npy = kerasDir().resolve(model).resolve("expected").resolve(fileName).resolve(weight.npy());
    return Npy.read(npy).asFloat32();
  }

  /**
   * @param layers {@code model.layers}: a nested model is one layer holding its sublayers' weights
   * @param leafLayers nested models replaced by their sublayers, depth first (written only when
   *     the model nests one; otherwise equal to {@code layers})
   */
  record KerasView(String file, String keras, List<String> modelWeights, List<LayerView> layers,
      List<LayerView> leafLayers) {
    KerasView {
      leafLayers = leafLayers == null ? layers : leafLayers;
    }
  }

  record LayerView(String name, @JsonProperty("class") String className, List<WeightView> weights) {
    /** The weights the reader must return: float ones (Keras also lists int counters). */
    List<WeightView> floatWeights() {
      return weights.stream().filter(WeightView::isFloat).toList();
    }
  }

  record WeightView(String name, long[] shape, String dtype, String npy) {
    boolean isFloat() {
      return dtype.startsWith("float");
    }
  }

  /** A numpy .npy file (format 1.0-3.0, little-endian, C order), enough for Keras's weights. */
  record Npy(String descr, long[] shape, ByteBuffer data) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Npy read(Path path) {
      try {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        buf.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
          throw new IllegalArgumentException(path + " is not an .npy file");
        }
        int major = buf.get();
        buf.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        byte[] header = new byte[headerLength];
        buf.get(header);
        String dict = new String(header, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, dict, path);
        if (group(FORTRAN, dict, path).equals("True")) {
          throw new IllegalArgumentException(path + " is in Fortran order");
        }
        String[] dims = group(SHAPE, dict, path).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(s -> !s.isEmpty())
            .mapToLong(Long::parseLong).toArray();
        return new Npy(descr, shape, buf.slice().order(ByteOrder.LITTLE_ENDIAN));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String group(Pattern p, String text, Path path) {
      Matcher m = p.matcher(text);
      if (!m.find()) {
        throw new IllegalArgumentException(path + ": no " + p + " in header " + text);
      }
      return m.group(1);
    }

    long size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    /** float32 as is; float64 rounded to nearest float32; float16 widened exactly. */
    float[] asFloat32() {
      int n = Math.toIntExact(size());
      float[] out = new float[n];
      switch (descr) {
        case "<f4" -> data.asFloatBuffer().get(out);
        case "<f8" -> {
          for (int i = 0; i < n; i++) {
            out[i] = (float) data.getDouble(8 * i);
          }
        }
        case "<f2" -> {
          for (int i = 0; i < n; i++) {
            out[i] = halfToFloat(data.getShort(2 * i));
          }
        }
        default -> throw new IllegalArgumentException("not a float .npy: " + descr);
      }
      return out;
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
      int sign = (bits >>> 15) & 1;
      int exponent = (bits >>> 10) & 0x1f;
      int mantissa = bits & 0x3ff;
      float magnitude;
      if (exponent == 0) {
        magnitude = mantissa * 0x1p-24f;
      } else if (exponent == 31) {
        magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
      } else {
        magnitude = (1 + mantissa / 1024f) * (float) Math.pow(2, exponent - 15);
      }
      return sign == 1 ? -magnitude : magnitude;
    }
  }
}
