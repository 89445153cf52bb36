package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.io.WeightProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes Keras 3 {@code .keras} archives that {@code keras.models.load_model} loads with no model
 * code, as Keras 3.15's {@code keras.saving.save_model} ({@code saving_lib._save_model_to_fileobj})
 * writes them: a zip whose entries are, in this order,
 *
 * <ul>
 *   <li>{@code metadata.json}: {@code {"keras_version": "3.15.1", "date_saved": "2026-11-23@04:40:36"}}
 *       (Keras' {@code "%Y-%m-%d@%H:%M:%S"}, local time). {@code load_model} does not read it;
 *       {@code keras.saving.KerasFileEditor} prints both keys. {@code keras_version} is
 *       {@value #KERAS3_VERSION}, the Keras whose format this reproduces and that loaded these files.
 *   <li>{@code config.json}: the model as {@code serialize_keras_object(model)}, the form
 *       {@code load_model} rebuilds with {@code deserialize_keras_object} (the caller's config: Keras
 *       3's {@code to_json()} form of the model's Keras twin, {@code KerasConfig});
 *   <li>{@code model.weights.h5}: the Keras 3 weights layout, exactly the {@code .weights.h5}
 *       {@link KerasWeightsWriter} writes ({@link KerasWeightsWriter.Layout#KERAS3_WEIGHTS}), which
 *       {@code load_model} reads with {@code saving_lib._load_state} through the same
 *       {@code H5IOStore} as {@code load_weights}.
 * </ul>
 *
 * <p>Every entry is stored uncompressed ({@code ZIP_STORED}, Keras' default: its {@code ZipFile(f,
 * "w")} names no compression, and {@code load_model} refuses members that expand over 100 times
 * their stored size past 4 GiB), with the zip epoch 1980-01-01 00:00 as its time, which is what
 * Keras gives {@code metadata.json} and {@code config.json}. There is no {@code assets/} entry:
 * {@code load_model} opens an asset store only when an archive has more than three entries.
 *
 * <p>Differences from Keras' own archives, none of which {@code load_model} reads:
 *
 * <ul>
 *   <li>{@code model.weights.h5} carries the differences {@link KerasWeightsWriter} lists (no groups
 *       for layers without weights, fixed-length strings, jhdf's trailing signature), and gets the
 *       zip epoch as its time where Keras gives it the time of saving;
 *   <li>{@code config.json} is indented and has no {@code shared_object_id} keys (Keras adds them
 *       inside {@code ObjectSharingScope} to objects it could share; {@code load_model} shares an
 *       object only when the key is there) and no {@code compile_config} (Keras writes {@code {}}
 *       for an uncompiled model; both mean: not compiled);
 *   <li>each entry's "version needed to extract" is 1.0 (stored), where Python's zipfile writes 2.0;
 *       "made by" Unix with mode {@code rw-------} as Python records it.
 * </ul>
 *
 * <p>The bytes are deterministic for identical weights on one platform but for
 * {@code date_saved}, which is the time of saving, or, when the environment variable
 * {@code SOURCE_DATE_EPOCH} (seconds since 1970, the reproducible-builds convention) is set, that
 * instant in UTC: then the whole archive is byte-identical. The weights entry ends with jhdf's
 * platform signature, as every HDF5 file Sequent writes.
 *
 * <p>The file is replaced atomically: the weights are written to a temporary file beside it, the
 * archive to another, which is then moved over it; on any failure the previous file is left as it
 * was and the temporary files are removed.
 */
public final class KerasArchiveWriter {
  /** The {@code keras_version} written to {@code metadata.json}. */
  public static final String KERAS3_VERSION = "3.15.1";

  /** The entries of an archive, in the order Keras and Sequent write them. */
  public static final List<String> ENTRIES = List.of(
      KerasArchiveReader.METADATA_ENTRY, KerasArchiveReader.CONFIG_ENTRY, KerasArchiveReader.WEIGHTS_ENTRY);

  /** The time of every entry: the zip epoch, as Keras' {@code zipfile.ZipInfo} default. */
  static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private static final DateTimeFormatter DATE_SAVED = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss", Locale.ROOT);

  private KerasArchiveWriter() {}

  /**
   * Writes {@code layers} and {@code configJson} to {@code file} as a {@code .keras} archive,
   * replacing it atomically, with the time of saving ({@link #dateSaved()}) in its metadata.
   *
   * @param layers every layer's weights with their Keras 3 paths (layers without weights may be
   *     included; they are skipped)
   * @param configJson the model's Keras 3 serialization, describing a model whose layers have
   *     exactly those weights at those paths
   * @throws IOException naming the file, and the layer where one is at fault; the previous file,
   *     if any, is unchanged
   */
  public static void write(List<KerasWeightsWriter.LayerWeights> layers, String configJson, Path file,
      WeightProgress progress) throws IOException {
    write(layers, configJson, file, dateSaved(), progress);
  }

  /** As {@link #write(List, String, Path, WeightProgress)}, with {@code dateSaved} as the metadata's date. */
  static void write(List<KerasWeightsWriter.LayerWeights> layers, String configJson, Path file, String dateSaved,
      WeightProgress progress) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("cannot write " + file + ": no such directory " + dir);
    }
    Path weights = null;
    Path tmp = null;
    try {
      try {
        weights = Files.createTempFile(dir, ".sequent", ".weights.h5.tmp");
        tmp = Files.createTempFile(dir, ".sequent", ".keras.tmp");
      } catch (IOException e) {
        throw new IOException("cannot write " + file + ": " + e, e);
      }
      try {
        KerasWeightsWriter.write(layers, weights, KerasWeightsWriter.Layout.KERAS3_WEIGHTS, Optional.empty(),
            progress);
      } catch (IOException e) {
        throw new IOException(e.getMessage().replace(weights.toString(), file.toString()), e);
      }
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(tmp)) {
        zip.setUseLanguageEncodingFlag(false); // ASCII names: no UTF-8 flag, as Python's zipfile
        zip.setUseZip64(Zip64Mode.AsNeeded); // only past 4 GiB, where Python's zipfile also needs it
        stored(zip, KerasArchiveReader.METADATA_ENTRY, metadataJson(dateSaved).getBytes(StandardCharsets.UTF_8));
        stored(zip, KerasArchiveReader.CONFIG_ENTRY, configJson.getBytes(StandardCharsets.UTF_8));
        stored(zip, KerasArchiveReader.WEIGHTS_ENTRY, weights);
      } catch (IOException e) {
        throw new IOException("cannot write " + file + ": " + e, e);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new IOException("cannot write " + file + ": " + e, e);
      }
    } finally {
      if (weights != null) {
        Files.deleteIfExists(weights);
      }
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** {@code metadata.json}, with Keras' keys in Keras' order and {@code json.dumps}' spacing. */
  static String metadataJson(String dateSaved) {
    return "{\"keras_version\": \"" + KERAS3_VERSION + "\", \"date_saved\": \"" + dateSaved + "\"}";
  }

  /**
   * The date written as {@code date_saved}: now, in local time, as Keras writes it; or the
   * instant {@code SOURCE_DATE_EPOCH} names, in UTC, when that environment variable is set.
   */
  static String dateSaved() {
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    if (epoch != null && epoch.strip().matches("\\d{1,12}")) {
      return DATE_SAVED.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(epoch.strip())),
          ZoneOffset.UTC));
    }
    return DATE_SAVED.format(LocalDateTime.now());
  }

  /**
   * A stored entry with its size and CRC given before its data, so that the zip writer adds no
   * Zip64 field for a size it does not know yet. The time is the DOS time of the zip epoch in the
   * local time zone (the DOS field has none); commons-compress writes it without an extended
   * timestamp field, which {@code java.util.zip} adds to exactly this time (its "before 1980"
   * marker). Keras' entries have no extra fields either.
   */
  private static ZipArchiveEntry entry(String name, long size, long crc) {
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc);
    e.setTime(ENTRY_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
    e.setUnixMode(0600); // made on Unix, rw-------: what Python's zipfile.ZipInfo records by default
    return e;
  }

  private static void stored(ZipArchiveOutputStream zip, String name, byte[] data) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(data);
    zip.putArchiveEntry(entry(name, data.length, crc.getValue()));
    zip.write(data);
    zip.closeArchiveEntry();
  }

  /** A stored entry streamed from {@code file} (read twice: for its CRC, then into the zip). */
  private static void stored(ZipArchiveOutputStream zip, String name, Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    zip.putArchiveEntry(entry(name, Files.size(file), crc.getValue()));
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(zip); // transferTo leaves the zip open
    }
    zip.closeArchiveEntry();
  }
}
