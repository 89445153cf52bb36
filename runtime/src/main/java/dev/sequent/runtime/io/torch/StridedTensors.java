package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.Float32Conversion;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFileException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * One PyTorch tensor read out of its storage bytes: size, stride and offset as PyTorch records them
 * (in a pickle's {@code _rebuild_tensor_v2}, or an exported program's {@code tensor_meta}), values
 * converted by {@link Float32Conversion}'s policy. A contiguous float32 tensor of a memory-mapped
 * storage stays mapped ({@link NamedTensor#mapped}); any other is copied element by element.
 */
public final class StridedTensors {
  private StridedTensors() {}

  /**
   * @param fileSize the file's size when it was opened (for a mapped tensor's later check)
   * @param first the element offset of the tensor's first value in the storage
   * @param offset the tensor's own storage offset, for messages
   * @param storage the storage's bytes, given how many the tensor needs (a bound for inflating)
   * @param storageName the storage in messages ({@code data/0})
   * @throws WeightFileException naming the tensor when its layout does not fit its storage
   */
  public static NamedTensor read(Path file, long fileSize, Float32Conversion conversion, String name, String dtype,
      long[] size, long[] stride, long first, long offset, LongFunction<ByteBuffer> storage, String storageName) {
    conversion.admit(name, dtype);
    int itemSize = Float32Conversion.itemSize(dtype);
    if (size.length != stride.length || offset < 0 || first < 0) {
      throw new WeightFileException(file, "tensor " + name + " has size " + Arrays.toString(size) + ", stride "
          + Arrays.toString(stride) + " and offset " + offset);
    }
    long count = 1;
    long span = 0;
    boolean contiguous = true;
    long expectedStride = 1;
    for (int i = size.length - 1; i >= 0; i--) {
      if (size[i] < 0 || stride[i] < 0) {
        throw new WeightFileException(file, "tensor " + name + " has size " + Arrays.toString(size)
            + " and stride " + Arrays.toString(stride));
      }
      count = Math.multiplyExact(count, size[i]);
      span = Math.addExact(span, Math.multiplyExact(Math.max(size[i] - 1, 0), stride[i]));
      contiguous &= size[i] == 1 || stride[i] == expectedStride;
      expectedStride = Math.multiplyExact(expectedStride, size[i]);
    }
    long needed = count == 0 ? 0 : Math.multiplyExact(Math.addExact(first, span + 1), itemSize);
    ByteBuffer buf = storage.apply(needed);
    if (needed > buf.capacity()) {
      throw new WeightFileException(file, "tensor " + name + " " + Arrays.toString(size) + " needs " + needed
          + " bytes of storage " + storageName + " but it holds " + buf.capacity());
    }
    if (count > Integer.MAX_VALUE) {
      throw new WeightFileException(file, "tensor " + name + " is too large (" + count + " elements)");
    }
    if (contiguous && count > 0 && buf.isDirect() && dtype.equals("float32")) {
      // stays in the mapped file until a model copies it into its own array
      int at = Math.toIntExact(first * itemSize);
      return NamedTensor.mapped(name, size,
          buf.slice(at, Math.toIntExact(count * itemSize)).order(buf.order()).asFloatBuffer(), file, fileSize);
    }
    float[] data = new float[(int) count];
    if (data.length == 0) {
      return new NamedTensor(name, size, data);
    }
    if (contiguous) {
      Float32Conversion.contiguous(buf, dtype, (int) (first * itemSize), data);
    } else {
      long[] index = new long[size.length];
      for (int i = 0; i < data.length; i++) {
        long element = first;
        for (int d = 0; d < size.length; d++) {
          element += index[d] * stride[d];
        }
        data[i] = Float32Conversion.element(buf, dtype, (int) (element * itemSize));
        for (int d = size.length - 1; d >= 0; d--) {
          if (++index[d] < size[d]) {
            break;
          }
          index[d] = 0;
        }
      }
    }
    return new NamedTensor(name, size, data);
  }
}
