package dev.sequent.runtime.arch;

import dev.sequent.model.DataFormat;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ShapeInference;
import dev.sequent.runtime.weights.WeightMapping;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.EpsilonFold;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.runtime.io.WeightFile;
import java.util.List;
import java.util.Optional;

/**
 * The architecture a weight file carries ({@link dev.sequent.runtime.io.FileArchitecture}), as a
 * network model, whatever the format.
 */
public final class Architectures {
  private Architectures() {}

  /** The model the file describes, or empty when it carries no architecture (state_dict, weights-only). */
  public static Optional<ModelSpec> of(WeightFile file, String name, Optional<Shape> inputShape) {
    return file.architecture().map(a -> a.modelSpec(name, inputShape));
  }

  /**
   * The epsilon of each layer of the file's own model whose epsilon folds into a parameter
   * ({@link dev.sequent.model.kind.LayerKind#epsilonFold}: BatchNorm), in order, when the file
   * says; empty otherwise (the mapping then assumes each kind's default for the file's framework).
   * Never fails: a file whose architecture Sequent cannot build still has usable weights.
   */
  /**
   * The feature order of each image Flatten of the file's own model, in order
   * ({@link WeightMapping#flattenOrders}): a Keras file's Dense rows after a channels-first image
   * follow C,H,W. Empty when the file carries no architecture, or one that does not check (the
   * mapping then assumes the framework's own image layout). Never fails.
   */
  public static List<DataFormat> flattenOrders(WeightFile file) {
    try {
      return of(file, "source", Optional.empty()).map(ShapeInference::infer).filter(ShapeInference.Result::ok)
          .map(r -> WeightMapping.flattenOrders(r.model())).orElse(List.of());
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  public static List<Double> foldedEpsilons(WeightFile file) {
    try {
      return of(file, "source", Optional.of(Shape.of(1))).map(spec -> spec.nodes().stream()
          .map(Node::layer)
          .flatMap(l -> LayerKinds.of(l).epsilonFold(l).stream())
          .map(EpsilonFold::epsilon).toList()).orElse(List.of());
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
