package dev.sequent.model.kind;

import dev.sequent.model.LayerSpec;
import dev.sequent.model.layers.ActivationKind;
import dev.sequent.model.layers.AdaptivePool2DKind;
import dev.sequent.model.layers.BatchNormKind;
import dev.sequent.model.layers.ConcatenateKind;
import dev.sequent.model.layers.Conv1DKind;
import dev.sequent.model.layers.Conv2DKind;
import dev.sequent.model.layers.ConvTranspose2DKind;
import dev.sequent.model.layers.Cropping2DKind;
import dev.sequent.model.layers.CustomLayerKind;
import dev.sequent.model.layers.DenseKind;
import dev.sequent.model.layers.DepthwiseConv2DKind;
import dev.sequent.model.layers.DropoutKind;
import dev.sequent.model.layers.ElementwiseMergeKind;
import dev.sequent.model.layers.EmbeddingKind;
import dev.sequent.model.layers.FlattenKind;
import dev.sequent.model.layers.GlobalPool1DKind;
import dev.sequent.model.layers.GlobalPool2DKind;
import dev.sequent.model.layers.LayerNormKind;
import dev.sequent.model.layers.MaskingKind;
import dev.sequent.model.layers.MultiHeadAttentionKind;
import dev.sequent.model.layers.NormalizationKind;
import dev.sequent.model.layers.PReLUKind;
import dev.sequent.model.layers.PermuteKind;
import dev.sequent.model.layers.ScaledDotProductAttentionKind;
import dev.sequent.model.layers.SliceKind;
import dev.sequent.model.layers.TensorOperandKind;
import dev.sequent.model.layers.Pool1DKind;
import dev.sequent.model.layers.Pool2DKind;
import dev.sequent.model.layers.RecurrentKind;
import dev.sequent.model.layers.RepeatVectorKind;
import dev.sequent.model.layers.RescalingKind;
import dev.sequent.model.layers.LayerScaleKind;
import dev.sequent.model.layers.ScaledSumKind;
import dev.sequent.model.layers.ArithmeticKind;
import dev.sequent.model.layers.ReshapeKind;
import dev.sequent.model.layers.SeparableConv2DKind;
import dev.sequent.model.layers.StepMaskKind;
import dev.sequent.model.layers.TimeDistributedKind;
import dev.sequent.model.layers.UnflattenKind;
import dev.sequent.model.layers.Upsample2DKind;
import dev.sequent.model.layers.ZeroPad2DKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layer catalogue: every {@link LayerKind}, listed once, and the lookups the generic code
 * uses instead of switching on layer types (by record, by DSL annotation, by Keras class name, by
 * {@code torch.nn} module class). A second kind claiming the same record, annotation, Keras class
 * or module is refused when the registry loads, so each spelling belongs to exactly one kind.
 */
public final class LayerKinds {
  private static final List<LayerKind<?>> ALL = List.of(
      new DenseKind(),
      new Conv2DKind(),
      new ConvTranspose2DKind(),
      new DepthwiseConv2DKind(),
      new SeparableConv2DKind(),
      new Pool2DKind(),
      new GlobalPool2DKind(),
      new Upsample2DKind(),
      new FlattenKind(),
      new BatchNormKind(),
      new LayerNormKind(),
      new DropoutKind(),
      new ActivationKind(),
      new PReLUKind(),
      new ElementwiseMergeKind(),
      new ConcatenateKind(),
      new ReshapeKind(),
      new PermuteKind(),
      new UnflattenKind(),
      new RescalingKind(),
      new ArithmeticKind(),
      new LayerScaleKind(),
      new ScaledSumKind(),
      new NormalizationKind(),
      new ZeroPad2DKind(),
      new Cropping2DKind(),
      new EmbeddingKind(), new Conv1DKind(), new Pool1DKind(), new GlobalPool1DKind(),
      new AdaptivePool2DKind(), new RepeatVectorKind(),
      new RecurrentKind(), new MaskingKind(), new StepMaskKind(), new TimeDistributedKind(),
      new MultiHeadAttentionKind(),
      new ScaledDotProductAttentionKind(),
      new SliceKind(),
      new TensorOperandKind(),
      new CustomLayerKind());

  private static final Map<Class<?>, LayerKind<?>> BY_RECORD = new LinkedHashMap<>();
  private static final Map<String, LayerKind.AnnotationBuilder> BY_ANNOTATION = new LinkedHashMap<>();
  private static final Map<String, LayerKind<?>> BY_KERAS_CLASS = new LinkedHashMap<>();
  private static final Map<String, LayerKind<?>> BY_TORCH_MODULE = new LinkedHashMap<>();

  static {
    for (LayerKind<?> kind : ALL) {
      claim(BY_RECORD, kind.recordType(), kind, "record");
      kind.annotations().forEach(a -> claim(BY_ANNOTATION, a.annotation(), a, "annotation"));
      kind.kerasClassNames().forEach(c -> claim(BY_KERAS_CLASS, c, kind, "Keras class"));
      kind.torchModules().forEach(m -> claim(BY_TORCH_MODULE, m, kind, "torch.nn module"));
    }
  }

  private LayerKinds() {}

  private static <K, V> void claim(Map<K, V> map, K key, V value, String what) {
    if (map.putIfAbsent(key, value) != null) {
      throw new IllegalStateException("two layer kinds claim the " + what + " " + key);
    }
  }

  /** Every registered kind, in registry order. */
  public static List<LayerKind<?>> all() {
    return ALL;
  }

  /**
   * The kind of a layer record.
   *
   * @throws IllegalArgumentException for a record no kind describes
   */
  @SuppressWarnings("unchecked")
  public static LayerKind<LayerSpec> of(LayerSpec layer) {
    LayerKind<?> kind = BY_RECORD.get(layer.getClass());
    if (kind == null) {
      throw new IllegalArgumentException("no layer kind is registered for " + layer.getClass().getName()
          + " (" + layer.typeName() + "); add its kind to LayerKinds");
    }
    // Safe: the kind was found by this record's own class.
    return (LayerKind<LayerSpec>) kind;
  }

  /** The builder for a DSL layer annotation (qualified name), if it is one. */
  public static Optional<LayerKind.AnnotationBuilder> annotation(String qualifiedName) {
    return Optional.ofNullable(BY_ANNOTATION.get(qualifiedName));
  }

  /** The kind reading Keras configs of this class name, if any. */
  public static Optional<LayerKind<?>> forKerasClass(String className) {
    return Optional.ofNullable(BY_KERAS_CLASS.get(className));
  }

  /** The kind reading this {@code torch.nn} module class (qualified, as the file names it), if any. */
  public static Optional<LayerKind<?>> forTorchModule(String className) {
    return Optional.ofNullable(BY_TORCH_MODULE.get(className));
  }

  /** Every {@code torch.nn} module class some kind reads (the PyTorch unpickler's allow-list of layers). */
  public static List<String> torchModules() {
    return List.copyOf(BY_TORCH_MODULE.keySet());
  }

  /** Every DSL layer annotation (qualified names). */
  public static List<String> annotations() {
    return List.copyOf(BY_ANNOTATION.keySet());
  }
}
