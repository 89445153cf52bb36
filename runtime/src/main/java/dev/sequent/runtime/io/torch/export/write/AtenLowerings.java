package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every layer kind's {@link AtenLowering}, listed once and found by record type, as the ops are
 * ({@code exec/OpRegistry}). A kind missing here has no {@code .pt2} form: the writer refuses a
 * model with such a layer, naming it.
 */
public final class AtenLowerings {
  /** The lowerings, one per record type. */
  public static final List<AtenLowering<?>> ALL = List.of(
      new DenseLowering(),
      new Conv2DLowering(),
      new DepthwiseConv2DLowering(),
      new ZeroPad2DLowering(),
      new BatchNormLowering(),
      new ActivationLowering(),
      new Pool2DLowering(),
      new GlobalPool2DLowering(),
      new AdaptivePool2DLowering(),
      new FlattenLowering(),
      new DropoutLowering(),
      new ElementwiseMergeLowering(),
      new ConcatenateLowering(),
      new ReshapeLowering(),
      new PermuteLowering(),
      new RescalingLowering(),
      new LayerNormLowering(),
      new EmbeddingLowering());

  private static final Map<Class<?>, AtenLowering<?>> BY_RECORD =
      ALL.stream().collect(Collectors.toUnmodifiableMap(AtenLowering::recordType, Function.identity()));

  private AtenLowerings() {}

  /** The lowering of {@code layer}'s kind, if it has one. */
  @SuppressWarnings("unchecked")
  public static Optional<AtenLowering<LayerSpec>> find(LayerSpec layer) {
    return Optional.ofNullable((AtenLowering<LayerSpec>) BY_RECORD.get(layer.getClass()));
  }

  /** The record types that have a lowering, by simple name, sorted (for the documentation and its test). */
  public static List<String> recordNames() {
    return List.copyOf(ALL.stream().map(l -> l.recordType().getSimpleName()).collect(Collectors.toCollection(TreeSet::new)));
  }

  /** The dtype of model input {@code input} in the program: int64 where a layer reads it as ids. */
  static int inputDtype(InferredModel model, String input) {
    boolean ids = model.nodes().stream().anyMatch(l -> l.node().inputs().contains(input)
        && find(l.spec()).map(AtenLowering::readsIndices).orElse(false));
    return ids ? ProgramGraph.INT64 : ProgramGraph.FLOAT32;
  }
}
