package dev.sequent.runtime.cli;

import dev.sequent.runtime.io.LogLevels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} input and output through ND4J's NumPy support. ND4J parses the file in
 * native code, which does not survive a malformed header, so the header is checked in Java first
 * (magic, little-endian float32/float64 or int32/int64 ids, C order, data length) and a bad file gets a one-line reason.
 */
final class NpyFiles {
  static {
    LogLevels.setDefaults(); // reading the input may start ND4J before any model does
  }
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private NpyFiles() {}

  static INDArray read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(8);
      if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
        throw new IOException(file + ": not a NumPy .npy file");
      }
      int major = magic[6];
      byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
      long headerLen = 0;
      for (int i = lenBytes.length - 1; i >= 0; i--) {
        headerLen = (headerLen << 8) | (lenBytes[i] & 0xff);
      }
      if (headerLen <= 0 || headerLen > 65536) {
        throw new IOException(file + ": corrupt .npy header length " + headerLen);
      }
      String header = new String(in.readNBytes((int) headerLen), StandardCharsets.ISO_8859_1);
      Matcher descr = DESCR.matcher(header);
      Matcher fortran = FORTRAN.matcher(header);
      Matcher shape = SHAPE.matcher(header);
      if (!descr.find() || !fortran.find() || !shape.find()) {
        throw new IOException(file + ": corrupt .npy header: " + header.trim());
      }
      int itemSize = switch (descr.group(1)) {
        case "<f4" -> 4;
        case "<f8" -> 8;
        // Integer ids for models that start with an embedding; Network.forward refuses them elsewhere.
        case "<i4" -> 4;
        case "<i8" -> 8;
        default -> throw new IOException(file + ": dtype " + descr.group(1)
            + " is not supported; save float32 ('<f4') or float64 arrays (int32/int64 ids for an embedding)");
      };
      if (fortran.group(1).equals("True")) {
        throw new IOException(file + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
      }
      long count = 1;
      int rank = 0;
      for (String d : shape.group(1).split(",")) {
        if (!d.isBlank()) {
          count *= Long.parseLong(d.trim());
          rank++;
        }
      }
      long dataStart = 8 + lenBytes.length + headerLen;
      if (size - dataStart != count * itemSize) {
        throw new IOException(file + ": header says shape (" + shape.group(1) + ") of " + descr.group(1)
            + " = " + count * itemSize + " bytes, but the file has " + (size - dataStart));
      }
      if (rank == 0) {
        throw new IOException(file + ": a scalar is not a batch; the first axis must be the batch");
      }
    }
    INDArray array = Nd4j.createFromNpyFile(file.toFile());
    return array.dataType().isIntType() || array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
  }

  static void write(INDArray array, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Nd4j.writeAsNumpy(array.castTo(DataType.FLOAT).dup('c'), file.toFile());
  }
}
