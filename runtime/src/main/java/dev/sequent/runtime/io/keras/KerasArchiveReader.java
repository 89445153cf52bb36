package dev.sequent.runtime.io.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Keras 3 {@code .keras} archive: a zip holding {@code config.json} (the serialized model),
 * {@code metadata.json} and {@code model.weights.h5} (the Keras 3 weights layout). jhdf reads HDF5
 * from a file, so the weights entry is copied once to a temporary file, deleted afterwards.
 */
final class KerasArchiveReader {
  private static final Logger log = LoggerFactory.getLogger(KerasArchiveReader.class);
  static final String WEIGHTS_ENTRY = "model.weights.h5";
  static final String CONFIG_ENTRY = "config.json";
  static final String METADATA_ENTRY = "metadata.json";

  /** What the archive yielded. */
  record Contents(KerasH5File.Contents weights, Optional<String> configJson) {}

  private KerasArchiveReader() {}

  static Contents read(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ZipEntry weights = zip.getEntry(WEIGHTS_ENTRY);
      if (weights == null) {
        throw new KerasLayoutException(missingWeightsReason(zip));
      }
      Optional<String> configJson = Optional.empty();
      Optional<KerasModelConfig> config = Optional.empty();
      ZipEntry configEntry = zip.getEntry(CONFIG_ENTRY);
      if (configEntry == null) {
        log.warn("{}: no {} in the archive; layers are listed in weight-file order", archive, CONFIG_ENTRY);
      } else {
        String json;
        try (InputStream in = zip.getInputStream(configEntry)) {
          json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
          config = Optional.of(KerasModelConfig.parse(json));
        } catch (IllegalArgumentException e) {
          throw new KerasLayoutException(CONFIG_ENTRY + " in the archive: " + e.getMessage());
        }
        configJson = Optional.of(json);
      }
      Path h5 = Files.createTempFile("sequent-keras-", ".weights.h5");
      try {
        try (InputStream in = zip.getInputStream(weights)) {
          Files.copy(in, h5, StandardCopyOption.REPLACE_EXISTING);
        }
        KerasH5File.Contents contents;
        try {
          contents = KerasH5File.read(h5, archive + "!" + WEIGHTS_ENTRY, config, true);
        } catch (KerasLayoutException e) {
          throw new KerasLayoutException(WEIGHTS_ENTRY + " in the archive: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
          throw new KerasLayoutException(WEIGHTS_ENTRY + " in the archive: " + KerasReader.reason(e), e);
        }
        return new Contents(contents, configJson);
      } finally {
        Files.deleteIfExists(h5);
      }
    }
  }

  private static String missingWeightsReason(ZipFile zip) {
    if (zip.getEntry("model.weights.json") != null) {
      return "a .keras archive with sharded weights (model.weights.json) is not supported";
    }
    if (zip.getEntry("model.weights.npz") != null) {
      return "a .keras archive with npz weights (model.weights.npz) is not supported";
    }
    String entries = Collections.list(zip.entries()).stream().limit(8).map(ZipEntry::getName)
        .collect(Collectors.joining(", "));
    return "zip archive without " + WEIGHTS_ENTRY + ", so not a Keras .keras archive (entries: "
        + (entries.isEmpty() ? "none" : entries) + ")";
  }
}
