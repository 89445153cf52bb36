package dev.sequent.model.kind;

import dev.sequent.model.LayerSpec;
import java.util.Optional;

/**
 * A layer's Keras twin (its equivalent in the Keras vocabulary, channels-last), or the reason it
 * has none. See {@link dev.sequent.model.report.KerasTwin}.
 */
public record Twin(Optional<LayerSpec> layer, Optional<String> whyNone) {

  public static Twin of(LayerSpec layer) {
    return new Twin(Optional.of(layer), Optional.empty());
  }

  public static Twin none(String why) {
    return new Twin(Optional.empty(), Optional.of(why));
  }
}
