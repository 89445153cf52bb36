package dev.sequent.model.kind;

import dev.sequent.model.LayerSpec;
import java.util.List;

/**
 * The registration a kind declares once: its record, the Keras classes and the {@code torch.nn}
 * modules it reads. A kind whose Keras and PyTorch class do not depend on the record's values
 * (one Keras class, at most one module) gets {@link #kerasClass} and {@link #torchClass} from
 * them; the others override both.
 *
 * @param <L> the layer record
 */
public abstract class AbstractLayerKind<L extends LayerSpec> implements LayerKind<L> {
  private final Class<L> recordType;
  private final List<String> kerasClassNames;
  private final List<String> torchModules;

  /**
   * @param kerasClassNames the Keras class names read, the first one written
   * @param torchModules the qualified {@code torch.nn} modules read; the first one's simple name is
   *     the PyTorch class
   */
  protected AbstractLayerKind(Class<L> recordType, List<String> kerasClassNames, List<String> torchModules) {
    this.recordType = recordType;
    this.kerasClassNames = List.copyOf(kerasClassNames);
    this.torchModules = List.copyOf(torchModules);
  }

  @Override
  public final Class<L> recordType() {
    return recordType;
  }

  @Override
  public final List<String> kerasClassNames() {
    return kerasClassNames;
  }

  @Override
  public final List<String> torchModules() {
    return torchModules;
  }

  @Override
  public String kerasClass(L layer) {
    if (kerasClassNames.isEmpty()) {
      throw new IllegalStateException(getClass().getSimpleName() + " reads no Keras class: override kerasClass");
    }
    return kerasClassNames.get(0);
  }

  @Override
  public String torchClass(L layer) {
    if (torchModules.isEmpty()) {
      throw new IllegalStateException(getClass().getSimpleName() + " reads no torch.nn module: override torchClass");
    }
    String module = torchModules.get(0);
    return module.substring(module.lastIndexOf('.') + 1);
  }
}
