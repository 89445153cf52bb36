package dev.sequent.runtime.io.keras;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not Keras weight files, or damaged ones (made here from the real fixtures), are
 * refused with a {@link WeightFileException} whose single-line message names the file and says why.
 */
class KerasReaderRefusalTest {
  @TempDir Path tmp;

  @Test
  void emptyFile() throws IOException {
    Path file = Files.createFile(tmp.resolve("empty.h5"));
    assertRefused(file, "empty file");
  }

  @Test
  void randomBytes() throws IOException {
    Path file = write("random.keras", randomBytes(4096, 1));
    assertRefused(file, "not a Keras file: neither HDF5");
  }

  @Test
  void hdf5SignatureFollowedByGarbage() throws IOException {
    byte[] bytes = randomBytes(4096, 2);
    System.arraycopy(Hdf5Signature.SIGNATURE, 0, bytes, 0, Hdf5Signature.SIGNATURE.length);
    Path file = write("garbage.h5", bytes);
    assertRefused(file, "HDF5");
  }

  @Test
  void truncatedKeras2H5() throws IOException {
    Path file = firstHalfOf(KerasFixtures.file("sequential", "tf_keras_model.h5"), "half.h5");
    assertRefused(file, "truncated HDF5 file");
  }

  @Test
  void truncatedKeras3WeightsH5() throws IOException {
    Path file = firstHalfOf(KerasFixtures.file("mixed", "keras3_model.weights.h5"), "half.weights.h5");
    assertRefused(file, "truncated HDF5 file");
  }

  /** Cut inside the object headers, before jhdf would even reach the end of the file. */
  @Test
  void truncatedInsideTheHeaders() throws IOException {
    byte[] all = Files.readAllBytes(KerasFixtures.file("functional", "tf_keras_weights.h5"));
    Path file = write("cut.h5", Arrays.copyOf(all, 3000));
    assertRefused(file, "truncated HDF5 file");
  }

  @Test
  void truncatedArchive() throws IOException {
    Path file = firstHalfOf(KerasFixtures.file("sequential", "keras3_model.keras"), "half.keras");
    assertRefused(file, "not a readable zip archive");
  }

  @Test
  void hdf5ThatIsNotKeras() {
    assertRefused(KerasFixtures.kerasDir().resolve("not_keras.h5"),
        "not a Keras file: HDF5 without Keras structure", "run1");
  }

  @Test
  void archiveWithoutWeights() throws IOException {
    Path file = rezip(KerasFixtures.file("sequential", "keras3_model.keras"), "no_weights.keras",
        KerasArchiveReader.WEIGHTS_ENTRY, null);
    assertRefused(file, "without model.weights.h5", "config.json");
  }

  @Test
  void zipThatIsNotKeras() throws IOException {
    Path file = tmp.resolve("other.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl"));
      zip.write(randomBytes(100, 3));
      zip.closeEntry();
    }
    assertRefused(file, "without model.weights.h5", "archive/data.pkl");
  }

  @Test
  void archiveWithTruncatedWeights() throws IOException {
    byte[] weights = Files.readAllBytes(KerasFixtures.file("sequential", "keras3_model.weights.h5"));
    Path file = rezip(KerasFixtures.file("sequential", "keras3_model.keras"), "cut_weights.keras",
        KerasArchiveReader.WEIGHTS_ENTRY, Arrays.copyOf(weights, weights.length / 2));
    assertRefused(file, "model.weights.h5 in the archive: truncated HDF5 file");
  }

  @Test
  void archiveWithKeras2WeightsInside() throws IOException {
    Path file = rezip(KerasFixtures.file("sequential", "keras3_model.keras"), "k2_inside.keras",
        KerasArchiveReader.WEIGHTS_ENTRY, Files.readAllBytes(KerasFixtures.file("sequential", "tf_keras_weights.h5")));
    assertRefused(file, "model.weights.h5 in the archive: not a Keras 3 weights file");
  }

  @Test
  void archiveWithBrokenConfig() throws IOException {
    Path file = rezip(KerasFixtures.file("sequential", "keras3_model.keras"), "bad_config.keras",
        KerasArchiveReader.CONFIG_ENTRY, "{\"class_name\": ".getBytes());
    assertRefused(file, "config.json in the archive: model config is not valid JSON");
  }

  @Test
  void missingFile() {
    assertRefused(tmp.resolve("absent.keras"), "no such file");
  }

  @Test
  void directory() {
    assertRefused(tmp, "is a directory");
  }

  /** Many cut points through a real file: every one is refused cleanly, none hangs. */
  @Test
  void everyTruncationIsRefused() throws IOException {
    byte[] all = Files.readAllBytes(KerasFixtures.file("mixed", "keras3_model.h5"));
    for (int length = 8; length < all.length; length += all.length / 23) {
      Path file = write("cut_" + length + ".h5", Arrays.copyOf(all, length));
      assertRefused(file, "");
    }
  }

  /** Flipped bytes in the middle of a real file: refused or read, never a raw exception or a hang. */
  @Test
  void corruptedBytesNeverEscapeUnwrapped() throws IOException {
    byte[] all = Files.readAllBytes(KerasFixtures.file("sequential", "tf_keras_model.h5"));
    Random random = new Random(7);
    for (int trial = 0; trial < 40; trial++) {
      byte[] corrupt = all.clone();
      int at = 8 + random.nextInt(4000);
      for (int i = at; i < Math.min(at + 16, corrupt.length); i++) {
        corrupt[i] = (byte) random.nextInt(256);
      }
      Path file = write("corrupt_" + trial + ".h5", corrupt);
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        try {
          KerasReader.read(file);
        } catch (WeightFileException e) {
          assertOneLineNaming(e, file);
        }
      });
    }
  }

  private static void assertRefused(Path file, String... reasonParts) {
    WeightFileException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(WeightFileException.class, () -> KerasReader.read(file)));
    assertOneLineNaming(e, file);
    for (String part : reasonParts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  private static void assertOneLineNaming(WeightFileException e, Path file) {
    String message = e.getMessage();
    assertTrue(message.startsWith(file.toString() + ": "), message);
    assertFalse(message.contains("\n"), message);
    assertTrue(message.length() > file.toString().length() + 8, "a reason is given: " + message);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(tmp.resolve(name), bytes);
  }

  private Path firstHalfOf(Path source, String name) throws IOException {
    byte[] all = Files.readAllBytes(source);
    return write(name, Arrays.copyOf(all, all.length / 2));
  }

  /** A copy of a real archive with one entry replaced ({@code content}) or left out (null). */
  private Path rezip(Path source, String name, String entryName, byte[] content) throws IOException {
    Path out = tmp.resolve(name);
    try (ZipFile in = new ZipFile(source.toFile());
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry entry : Collections.list(in.entries())) {
        boolean replaced = entry.getName().equals(entryName);
        if (replaced && content == null) {
          continue;
        }
        zip.putNextEntry(new ZipEntry(entry.getName()));
        if (replaced) {
          zip.write(content);
        } else {
          try (InputStream data = in.getInputStream(entry)) {
            data.transferTo(zip);
          }
        }
        zip.closeEntry();
      }
    }
    return out;
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

}
