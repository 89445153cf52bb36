package dev.sequent.runtime.io.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.runtime.io.Float32Conversion;
import dev.sequent.runtime.io.MappedFile;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. Read through memory maps
 * ({@link MappedFile}: each tensor's bytes go straight into its {@code float[]}), with
 * {@link Float32Conversion}'s dtype policy (U16/U32/U64, which PyTorch cannot hold, are refused);
 * written with PyTorch naming, float32, header padded to 8 bytes as the reference implementation
 * does.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private Safetensors() {}

  public static WeightFile read(Path file) {
    try (MappedFile mapped = MappedFile.open(file)) {
      long size = mapped.size();
      if (size < 8) {
        throw new WeightFileException(file, "not a safetensors file: " + size + " bytes, too short for a header");
      }
      long headerLength = mapped.region(0, 8, "the header length").getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new WeightFileException(file, "not a safetensors file: header length " + headerLength
            + " does not fit a file of " + size + " bytes");
      }
      byte[] header = new byte[(int) headerLength];
      mapped.region(8, headerLength, "the header").get(header);
      JsonNode root;
      try {
        root = JSON.readTree(header);
      } catch (IOException e) {
        throw new WeightFileException(file, "not a safetensors file: the header is not JSON");
      }
      long dataStart = 8 + headerLength;
      long dataSize = size - dataStart;
      Float32Conversion conversion = new Float32Conversion(file);
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      root.fields().forEachRemaining(entries::add);
      // The reference writer orders data by dtype then name; present tensors in data order, which is file order.
      entries.removeIf(e -> e.getKey().equals("__metadata__"));
      entries.sort((a, b) -> Long.compare(a.getValue().path("data_offsets").path(0).asLong(),
          b.getValue().path("data_offsets").path(0).asLong()));
      for (Map.Entry<String, JsonNode> e : entries) {
        tensors.put(e.getKey(), tensor(mapped, conversion, e.getKey(), e.getValue(), dataStart, dataSize));
      }
      conversion.warnIfConverted();
      return new WeightFile(file, "safetensors", tensors, List.of(), Optional.empty());
    } catch (InternalError e) {
      // what a fault in a memory-mapped region becomes, e.g. when the file is truncated while read
      throw new WeightFileException(file, "the file changed or became unreadable while it was read: " + e.getMessage(), e);
    }
  }

  private static final Map<String, String> DTYPES = Map.ofEntries(
      Map.entry("F64", "float64"), Map.entry("F32", "float32"), Map.entry("F16", "float16"),
      Map.entry("BF16", "bfloat16"), Map.entry("I64", "int64"), Map.entry("I32", "int32"),
      Map.entry("I16", "int16"), Map.entry("I8", "int8"), Map.entry("U8", "uint8"), Map.entry("BOOL", "bool"));

  private static NamedTensor tensor(MappedFile mapped, Float32Conversion conversion, String name, JsonNode info,
      long dataStart, long dataSize) {
    Path file = mapped.path();
    String stDtype = info.path("dtype").asText();
    String dtype = DTYPES.get(stDtype);
    if (dtype == null) {
      throw new WeightFileException(file, "tensor " + name + " has unsupported dtype " + stDtype);
    }
    conversion.admit(name, dtype);
    int itemSize = Float32Conversion.itemSize(dtype);
    List<Long> shape = new ArrayList<>();
    long count = 1;
    for (Iterator<JsonNode> it = info.path("shape").elements(); it.hasNext(); ) {
      long d = it.next().asLong(-1);
      if (d < 0) {
        throw new WeightFileException(file, "tensor " + name + " has shape " + info.path("shape"));
      }
      shape.add(d);
      count = Math.multiplyExact(count, d);
    }
    long begin = info.path("data_offsets").path(0).asLong(-1);
    long end = info.path("data_offsets").path(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataSize || end - begin != count * itemSize) {
      throw new WeightFileException(file, "tensor " + name + " " + shape + " " + stDtype + " needs "
          + count * itemSize + " bytes but its data_offsets are [" + begin + ", " + end + "] in "
          + dataSize + " bytes of data");
    }
    if (count > Integer.MAX_VALUE) {
      throw new WeightFileException(file, "tensor " + name + " is too large (" + count + " elements)");
    }
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    if (count > 0 && dtype.equals("float32")) {
      // stays in the mapped file until a model copies it into its own array
      ByteBuffer region = mapped.region(dataStart + begin, end - begin, "tensor " + name);
      return NamedTensor.mapped(name, dims, region.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), file,
          mapped.size());
    }
    float[] data = new float[(int) count];
    if (count > 0) {
      Float32Conversion.contiguous(mapped.region(dataStart + begin, end - begin, "tensor " + name), dtype, 0, data);
    }
    return new NamedTensor(name, dims, data);
  }

  /**
   * Writes float32 tensors in the given order (int64 for BatchNorm's num_batches_tracked counters),
   * telling {@code progress} of each tensor written.
   */
  public static void write(Map<String, NamedTensor> tensors, Path file, WeightProgress progress) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (NamedTensor t : tensors.values()) {
      boolean counter = isCounter(t);
      long bytes = counter ? 8 : 4L * t.size();
      ObjectNode info = header.putObject(t.name());
      info.put("dtype", counter ? "I64" : "F32");
      var shape = info.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      info.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    header.putObject("__metadata__").put("format", "pt");
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    java.util.Arrays.fill(headerBytes, (byte) ' ');
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".sequent", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (NamedTensor t : tensors.values()) {
          ByteBuffer b;
          if (isCounter(t)) {
            b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((long) t.data()[0]);
          } else {
            b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data());
          }
          out.write(b.array());
          progress.tensorDone(t.name(), 4L * t.size());
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isCounter(NamedTensor t) {
    return t.name().endsWith("num_batches_tracked") && t.rank() == 0;
  }

}
