package dev.sequent.runtime.io.torch.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.Float32Conversion;
import dev.sequent.runtime.io.MappedFile;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.torch.StridedTensors;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.io.torch.ZipEntries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a {@code torch.export.save} archive (a {@code .pt2} "PT2 archive",
 * torch/export/pt2_archive/_package.py): a zip whose records sit under one folder,
 *
 * <ul>
 *   <li>{@code archive_format} ({@value #ARCHIVE_FORMAT}) and {@code archive_version};
 *   <li>{@code models/<model>.json}: the serialized {@code ExportedProgram} ({@link ExportedProgram});
 *   <li>{@code data/weights/<model>_weights_config.json}: for each parameter and buffer, by its
 *       state_dict name, the record holding its storage's raw bytes and its {@code tensor_meta}
 *       (dtype, sizes, strides, storage offset); {@code data/constants/<model>_constants_config.json}
 *       likewise for lifted tensor constants;
 *   <li>{@code byteorder}, sample inputs and other records, which Sequent does not need.
 * </ul>
 *
 * The tensors become the {@link WeightFile}'s, under their state_dict names; the program becomes
 * its architecture ({@link ExportedProgramArchitecture}). The schema's major version is checked:
 * a program of another major is refused before anything is built from it.
 */
public final class ExportArchive {
  /** The content of {@code archive_format} in every PT2 archive. */
  public static final String ARCHIVE_FORMAT = "pt2";
  /** The {@code schema_version.major} Sequent reads (torch/_export/serde/schema.py, SCHEMA_VERSION, PyTorch 2.x). */
  public static final int SCHEMA_MAJOR = 8;
  private static final String DEFAULT_MODEL = "model";
  private static final long MAX_JSON = 256L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportArchive() {}

  /** The folder (with its slash) holding {@code archive_format}, if the zip is a PT2 archive. */
  static Optional<String> prefix(ZipFile zip) {
    for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
      String n = e.getName();
      if (ExportedProgramFormat.isArchiveFormatRecord(n, e.getSize())) {
        try {
          if (ExportedProgramFormat.saysPt2(zip.getInputStream(e).readAllBytes())) {
            return Optional.of(n.substring(0, n.length() - "archive_format".length()));
          }
        } catch (IOException ex) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the archive's program and tensors.
   *
   * @throws WeightFileException naming the file and what is wrong: not a PT2 archive, several
   *     programs, an unknown schema major, a missing record, a tensor that does not fit its storage
   */
  public static WeightFile read(Path file, TorchReadOptions options) {
    if (options.entry().isPresent()) {
      throw new WeightFileException(file, RuntimeMessage.EXPORT_NO_ENTRIES.format(options.entry().get()));
    }
    try (MappedFile mapped = MappedFile.open(file);
        ZipFile zip = ZipFile.builder().setSeekableByteChannel(mapped.channel()).get()) {
      String prefix = prefix(zip).orElseThrow(() ->
          new WeightFileException(file, RuntimeMessage.EXPORT_NOT_A_PT2_ARCHIVE.format()));
      ByteOrder order = byteOrder(file, mapped, zip, prefix);
      String model = modelName(file, zip, prefix);
      JsonNode programJson = json(file, mapped, zip, prefix + "models/" + model + ".json", true).orElseThrow();
      JsonNode version = programJson.path("schema_version");
      int major = version.path("major").asInt(-1);
      if (major != SCHEMA_MAJOR) {
        throw new WeightFileException(file, RuntimeMessage.EXPORT_SCHEMA_VERSION.format(
            major + "." + version.path("minor").asInt(-1), programJson.path("torch_version").asText("unknown"),
            SCHEMA_MAJOR));
      }
      ExportedProgram program;
      try {
        program = ExportedProgram.parse(programJson);
      } catch (IllegalArgumentException e) {
        throw new WeightFileException(file, RuntimeMessage.EXPORT_MALFORMED_PROGRAM.format(model, e.getMessage()));
      }
      Float32Conversion conversion = new Float32Conversion(file);
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      Map<String, ByteBuffer> storages = new LinkedHashMap<>();
      for (String kind : List.of("weights", "constants")) {
        Optional<JsonNode> config = json(file, mapped, zip,
            prefix + "data/" + kind + "/" + model + "_" + kind + "_config.json", false);
        if (config.isEmpty()) {
          continue;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = config.get().path("config").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          tensor(file, mapped, zip, prefix + "data/" + kind + "/", e.getKey(), e.getValue(), order, conversion,
              storages).ifPresent(t -> tensors.put(t.name(), t));
        }
      }
      conversion.warnIfConverted();
      WeightFile read = new WeightFile(file, "torch-export", tensors, List.of(),
          Optional.of(new ExportedProgramArchitecture(program, tensors.keySet())));
      return options.stripPrefix().map(read::withoutPrefix).orElse(read);
    } catch (IOException e) {
      throw new WeightFileException(file, RuntimeMessage.EXPORT_UNREADABLE.format(e.getMessage()), e);
    }
  }

  private static ByteOrder byteOrder(Path file, MappedFile mapped, ZipFile zip, String prefix) {
    ZipArchiveEntry e = zip.getEntry(prefix + "byteorder");
    if (e == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String bo = StandardCharsets.US_ASCII.decode(ZipEntries.bytes(mapped, zip, e, 16, "the byteorder record",
        ByteOrder.LITTLE_ENDIAN)).toString().trim();
    if (!bo.equals("little") && !bo.equals("big")) {
      throw new WeightFileException(file, "unknown byteorder record \"" + bo + "\"");
    }
    return bo.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  /** {@value #DEFAULT_MODEL}, the name torch.export.save gives, or the one program of another name. */
  private static String modelName(Path file, ZipFile zip, String prefix) {
    List<String> models = new ArrayList<>();
    for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
      String n = e.getName();
      if (n.startsWith(prefix + "models/") && n.endsWith(".json") && n.indexOf('/', (prefix + "models/").length()) < 0) {
        models.add(n.substring((prefix + "models/").length(), n.length() - ".json".length()));
      }
    }
    if (models.contains(DEFAULT_MODEL) || models.size() == 1) {
      return models.contains(DEFAULT_MODEL) ? DEFAULT_MODEL : models.get(0);
    }
    throw new WeightFileException(file, RuntimeMessage.EXPORT_MODELS.format(models));
  }

  private static Optional<JsonNode> json(Path file, MappedFile mapped, ZipFile zip, String name, boolean required)
      throws IOException {
    ZipArchiveEntry e = zip.getEntry(name);
    if (e == null) {
      if (required) {
        throw new WeightFileException(file, RuntimeMessage.EXPORT_RECORD_MISSING.format(name));
      }
      return Optional.empty();
    }
    ByteBuffer bytes = ZipEntries.bytes(mapped, zip, e, MAX_JSON, name, ByteOrder.LITTLE_ENDIAN);
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    try {
      return Optional.of(JSON.readTree(copy));
    } catch (IOException ex) {
      throw new WeightFileException(file, name + " is not valid JSON: " + ex.getMessage(), ex);
    }
  }

  /** One payload entry: a raw tensor; a pickled tensor subclass or a custom object is refused. */
  private static Optional<NamedTensor> tensor(Path file, MappedFile mapped, ZipFile zip, String folder, String fqn,
      JsonNode payload, ByteOrder order, Float32Conversion conversion, Map<String, ByteBuffer> storages) {
    String pathName = payload.path("path_name").asText();
    JsonNode meta = payload.path("tensor_meta");
    if (payload.path("use_pickle").asBoolean(false) || meta.isMissingNode() || meta.isNull()) {
      // a tensor subclass or a custom object: not a plain tensor; refused only if the graph uses it
      return Optional.empty();
    }
    String dtype = ScalarTypes.name(meta.path("dtype").asInt(0));
    long[] size = longs(meta.path("sizes"));
    long[] stride = longs(meta.path("strides"));
    long offset = meta.path("storage_offset").path("as_int").asLong(0);
    if (size == null || stride == null) {
      throw new WeightFileException(file, RuntimeMessage.EXPORT_SYMBOLIC_TENSOR.format(fqn));
    }
    String record = folder + pathName;
    return Optional.of(StridedTensors.read(file, mapped.size(), conversion, fqn, dtype, size, stride, offset, offset,
        needed -> storages.computeIfAbsent(record, r -> {
          ZipArchiveEntry e = zip.getEntry(r);
          if (e == null) {
            throw new WeightFileException(file, RuntimeMessage.EXPORT_RECORD_MISSING.format(r));
          }
          return ZipEntries.bytes(mapped, zip, e, needed, r, order);
        }), record));
  }

  /** Sizes or strides as {@code [{"as_int": n}, ...]}; null if one is symbolic. */
  private static long[] longs(JsonNode list) {
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = list.get(i).get("as_int");
      if (v == null) {
        return null;
      }
      out[i] = v.asLong();
    }
    return out;
  }
}
