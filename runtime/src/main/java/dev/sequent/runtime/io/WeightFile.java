package dev.sequent.runtime.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The neutral result of reading any weight file: its tensors in file order, plus whatever
 * architecture the file carries. Keras files carry a {@code model_config}; a whole pickled
 * PyTorch model carries a module tree. State dicts and weights-only files carry none.
 *
 * @param source the file read, for error messages
 * @param format a short human name of the format ({@code "keras2-h5"}, {@code "torch-zip"}, ...)
 * @param tensors tensors by name, in the order the file lists them (Keras {@code get_weights} order
 *     for Keras files, {@code state_dict} order for PyTorch files)
 * @param layerOrder for Keras files, the weighted layers' names in file order together with their
 *     weight names (from {@code layer_names} / {@code weight_names}); empty when the format has no
 *     such list
 * @param architecture the architecture the file carries, when it has one (its format's reader
 *     tells what it is: {@code KerasReader.modelConfig}, {@code TorchReader.moduleTree})
 */
public record WeightFile(
    Path source,
    String format,
    Map<String, NamedTensor> tensors,
    List<LayerWeights> layerOrder,
    Optional<FileArchitecture> architecture) {

  public WeightFile {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    layerOrder = List.copyOf(layerOrder);
  }

  /**
   * The same file with {@code prefix} removed from every tensor name that starts with it, e.g. the
   * {@code module.} that {@code nn.DataParallel} puts before every key. Names without it stay.
   */
  public WeightFile withoutPrefix(String prefix) {
    Map<String, NamedTensor> renamed = new LinkedHashMap<>();
    tensors.forEach((k, v) -> {
      String n = k.startsWith(prefix) ? k.substring(prefix.length()) : k;
      if (renamed.put(n, v.renamed(n)) != null) {
        throw new WeightFileException(source, "removing the prefix \"" + prefix + "\" makes two tensors "
            + n + "; the file has both " + n + " and " + prefix + n);
      }
    });
    return new WeightFile(source, format, renamed, layerOrder,
        architecture.map(a -> a.forTensors(renamed.keySet())));
  }

  /** A weighted layer as a Keras file lists it: the layer's name and its tensors' names, in order. */
  public record LayerWeights(String layerName, List<String> tensorNames) {
    public LayerWeights {
      tensorNames = List.copyOf(tensorNames);
    }
  }
}
