package dev.sequent.runtime;

import dev.sequent.model.source.DslSourceWriter;
import dev.sequent.model.source.DslSourceWriter.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model file as DSL source ({@code ./sequent import}): the network {@link Network#load} reads from
 * the file, written by {@link DslSourceWriter} as an interface whose layers have the file's names, so
 * the generated {@code <name>Net.create().loadWeights(file)} pairs every tensor by name. Works for
 * every file {@code Network.load} reads; nothing here depends on the format.
 */
public final class ModelSource {
  private ModelSource() {}

  /** The source files for {@code network}, read from a file named {@code origin}. */
  public static List<SourceFile> of(Network network, String packageName, String name, String origin) {
    return DslSourceWriter.write(network.model().spec(), network.modules(), packageName, name, origin);
  }

  /** The source files for the model in {@code file}. */
  public static List<SourceFile> of(Path file, String packageName, String name) {
    return of(Network.load(file), packageName, name, file.getFileName().toString());
  }

  /** Writes {@code files} under {@code outDir} (creating the package folders) and returns their paths. */
  public static List<Path> write(List<SourceFile> files, Path outDir) {
    List<Path> written = new ArrayList<>();
    try {
      for (SourceFile f : files) {
        Path path = outDir.resolve(f.path());
        Files.createDirectories(path.getParent());
        Files.writeString(path, f.content(), StandardCharsets.UTF_8);
        written.add(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the source under " + outDir + ": " + e.getMessage(), e);
    }
    return written;
  }
}
