package dev.sequent.runtime.io.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.runtime.io.HalfFloats;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. Read through a memory
 * map (the file is not read twice); written with PyTorch naming, float32, header padded to 8
 * bytes as the reference implementation does.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private Safetensors() {}

  public static WeightFile read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new WeightFileException(file, "not a safetensors file: " + size + " bytes, too short for a header");
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.LITTLE_ENDIAN);
      long headerLength = map.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new WeightFileException(file, "not a safetensors file: header length " + headerLength
            + " does not fit a file of " + size + " bytes");
      }
      byte[] header = new byte[(int) headerLength];
      map.get(8, header);
      JsonNode root;
      try {
        root = JSON.readTree(header);
      } catch (IOException e) {
        throw new WeightFileException(file, "not a safetensors file: the header is not JSON");
      }
      long dataStart = 8 + headerLength;
      long dataSize = size - dataStart;
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      root.fields().forEachRemaining(entries::add);
      // The reference writer orders data by dtype then name; present tensors in data order, which is file order.
      entries.removeIf(e -> e.getKey().equals("__metadata__"));
      entries.sort((a, b) -> Long.compare(a.getValue().path("data_offsets").path(0).asLong(),
          b.getValue().path("data_offsets").path(0).asLong()));
      for (Map.Entry<String, JsonNode> e : entries) {
        tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), map, dataStart, dataSize));
      }
      return new WeightFile(file, "safetensors", tensors, List.of(), Optional.empty(), Optional.empty());
    } catch (IOException e) {
      throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private static NamedTensor tensor(Path file, String name, JsonNode info, ByteBuffer map, long dataStart,
      long dataSize) {
    String dtype = info.path("dtype").asText();
    int itemSize = switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> throw new WeightFileException(file, "tensor " + name + " has unsupported dtype " + dtype);
    };
    List<Long> shape = new ArrayList<>();
    long count = 1;
    for (Iterator<JsonNode> it = info.path("shape").elements(); it.hasNext(); ) {
      long d = it.next().asLong();
      shape.add(d);
      count *= d;
    }
    long begin = info.path("data_offsets").path(0).asLong(-1);
    long end = info.path("data_offsets").path(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataSize || end - begin != count * itemSize) {
      throw new WeightFileException(file, "tensor " + name + " " + shape + " " + dtype + " needs "
          + count * itemSize + " bytes but its data_offsets are [" + begin + ", " + end + "] in "
          + dataSize + " bytes of data");
    }
    if (count > Integer.MAX_VALUE) {
      throw new WeightFileException(file, "tensor " + name + " is too large (" + count + " elements)");
    }
    float[] data = new float[(int) count];
    long at = dataStart + begin;
    for (int i = 0; i < data.length; i++) {
      int pos = (int) (at + (long) i * itemSize);
      data[i] = switch (dtype) {
        case "F32" -> map.getFloat(pos);
        case "F64" -> (float) map.getDouble(pos);
        case "F16" -> HalfFloats.fromHalf(map.getShort(pos));
        case "BF16" -> HalfFloats.fromBfloat16(map.getShort(pos));
        case "I64", "U64" -> (float) map.getLong(pos);
        case "I32", "U32" -> (float) map.getInt(pos);
        case "I16" -> map.getShort(pos);
        case "U16" -> map.getShort(pos) & 0xffff;
        case "I8" -> map.get(pos);
        default -> map.get(pos) & 0xff;
      };
    }
    return new NamedTensor(name, shape.stream().mapToLong(Long::longValue).toArray(), data);
  }

  /** Writes float32 tensors in the given order (int64 for BatchNorm's num_batches_tracked counters). */
  public static void write(Map<String, NamedTensor> tensors, Path file) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (NamedTensor t : tensors.values()) {
      boolean counter = isCounter(t);
      long bytes = counter ? 8 : 4L * t.data().length;
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
            b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data());
          }
          out.write(b.array());
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
