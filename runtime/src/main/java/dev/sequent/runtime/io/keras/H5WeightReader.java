package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.io.NamedTensor;
import io.jhdf.api.Dataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HDF5 datasets into float32 {@link NamedTensor}s. float32 is taken as is; float64 and
 * float16 are converted (Java's {@code (float)} rounds to nearest, as numpy's {@code astype} does;
 * every float16 is exact in float32) and reported once per file at WARN, since a float64 model
 * loses precision here. Integer, boolean and string datasets are not weights (Keras stores
 * counters and seeds that way) and are skipped at DEBUG.
 */
final class H5WeightReader {
  private static final Logger log = LoggerFactory.getLogger(H5WeightReader.class);

  private final String fileForLog;
  private final List<String> fromFloat64 = new ArrayList<>();
  private final List<String> fromFloat16 = new ArrayList<>();

  H5WeightReader(String fileForLog) {
    this.fileForLog = fileForLog;
  }

  /** The dataset as a tensor called {@code name}, or empty when it does not hold floats. */
  Optional<NamedTensor> read(Dataset dataset, String name) {
    DataType type = dataset.getDataType();
    if (!(type instanceof FloatingPoint)) {
      log.debug("{}: skipping {} ({}): a {} dataset is not a weight", fileForLog, name,
          dataset.getPath(), type.getClass().getSimpleName());
      return Optional.empty();
    }
    int[] dims = dataset.getDimensions();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    float[] values = switch (type.getSize()) {
      case 4 -> floats(dataset, name);
      case 2 -> {
        fromFloat16.add(name);
        yield floats(dataset, name);
      }
      case 8 -> {
        fromFloat64.add(name);
        yield narrow(doubles(dataset, name));
      }
      default -> throw new KerasLayoutException(
          "dataset " + dataset.getPath() + " holds " + 8 * type.getSize() + "-bit floats, which no Keras writes");
    };
    return Optional.of(new NamedTensor(name, shape, values));
  }

  /** Logs, once, which tensors were converted to float32. */
  void reportConversions() {
    if (!fromFloat64.isEmpty()) {
      log.warn("{}: {} float64 tensor(s) converted to float32, precision is lost (first: {})",
          fileForLog, fromFloat64.size(), fromFloat64.get(0));
    }
    if (!fromFloat16.isEmpty()) {
      log.warn("{}: {} float16 tensor(s) widened to float32 (first: {})",
          fileForLog, fromFloat16.size(), fromFloat16.get(0));
    }
  }

  private static float[] floats(Dataset dataset, String name) {
    Object data = values(dataset);
    if (data instanceof float[] array) {
      return array;
    }
    if (data instanceof Float scalar) {
      return new float[] {scalar};
    }
    throw unexpected(dataset, name, data);
  }

  private static double[] doubles(Dataset dataset, String name) {
    Object data = values(dataset);
    if (data instanceof double[] array) {
      return array;
    }
    if (data instanceof Double scalar) {
      return new double[] {scalar};
    }
    throw unexpected(dataset, name, data);
  }

  private static Object values(Dataset dataset) {
    if (dataset.isScalar()) {
      return dataset.getData();
    }
    if (dataset.isEmpty() || dataset.getSize() == 0) {
      return dataset.getDataType().getSize() == 8 ? new double[0] : new float[0];
    }
    return dataset.getDataFlat();
  }

  private static float[] narrow(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static KerasLayoutException unexpected(Dataset dataset, String name, Object data) {
    return new KerasLayoutException("dataset " + dataset.getPath() + " (" + name + ") read as "
        + (data == null ? "nothing" : data.getClass().getSimpleName()) + ", not as floats");
  }
}
