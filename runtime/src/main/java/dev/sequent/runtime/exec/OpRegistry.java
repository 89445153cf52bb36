package dev.sequent.runtime.exec;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.exec.ops.ActivationOp;
import dev.sequent.runtime.exec.ops.AdaptivePool2DOp;
import dev.sequent.runtime.exec.ops.BatchNormOp;
import dev.sequent.runtime.exec.ops.ConcatenateOp;
import dev.sequent.runtime.exec.ops.Conv1DOp;
import dev.sequent.runtime.exec.ops.MaskingOp;
import dev.sequent.runtime.exec.ops.RecurrentOp;
import dev.sequent.runtime.exec.ops.StepMaskOp;
import dev.sequent.runtime.exec.ops.TimeDistributedOp;
import dev.sequent.runtime.exec.ops.Conv2DOp;
import dev.sequent.runtime.exec.ops.ConvTranspose2DOp;
import dev.sequent.runtime.exec.ops.Cropping2DOp;
import dev.sequent.runtime.exec.ops.CustomOp;
import dev.sequent.runtime.exec.ops.DenseOp;
import dev.sequent.runtime.exec.ops.DepthwiseConv2DOp;
import dev.sequent.runtime.exec.ops.DropoutOp;
import dev.sequent.runtime.exec.ops.ElementwiseMergeOp;
import dev.sequent.runtime.exec.ops.EmbeddingOp;
import dev.sequent.runtime.exec.ops.FlattenOp;
import dev.sequent.runtime.exec.ops.GlobalPool1DOp;
import dev.sequent.runtime.exec.ops.GlobalPool2DOp;
import dev.sequent.runtime.exec.ops.LayerNormOp;
import dev.sequent.runtime.exec.ops.MultiHeadAttentionOp;
import dev.sequent.runtime.exec.ops.NormalizationOp;
import dev.sequent.runtime.exec.ops.PReLUOp;
import dev.sequent.runtime.exec.ops.PermuteOp;
import dev.sequent.runtime.exec.ops.ScaledDotProductAttentionOp;
import dev.sequent.runtime.exec.ops.SliceOp;
import dev.sequent.runtime.exec.ops.TensorOperandOp;
import dev.sequent.runtime.exec.ops.Pool1DOp;
import dev.sequent.runtime.exec.ops.Pool2DOp;
import dev.sequent.runtime.exec.ops.RepeatVectorOp;
import dev.sequent.runtime.exec.ops.RescalingOp;
import dev.sequent.runtime.exec.ops.LayerScaleOp;
import dev.sequent.runtime.exec.ops.ScaledSumOp;
import dev.sequent.runtime.exec.ops.ArithmeticOp;
import dev.sequent.runtime.exec.ops.ReshapeOp;
import dev.sequent.runtime.exec.ops.SeparableConv2DOp;
import dev.sequent.runtime.exec.ops.UnflattenOp;
import dev.sequent.runtime.exec.ops.Upsample2DOp;
import dev.sequent.runtime.exec.ops.ZeroPad2DOp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns each layer of the network model into a {@link BoundLayer} bound to its parameters, through
 * the {@link LayerOpFactory} registered for the layer's record class. The factories are listed
 * explicitly below (no classpath scanning), so the set of layers the runtime can execute is read in
 * one place and a catalogue test can check it against the layer records; a layer whose record has
 * no factory is refused rather than run by some fallback.
 */
public final class OpRegistry {
  private static final List<LayerOpFactory<?>> FACTORIES = List.of(
      new DenseOp(),
      new Conv2DOp(),
      new ConvTranspose2DOp(),
      new DepthwiseConv2DOp(),
      new SeparableConv2DOp(),
      new Pool2DOp(),
      new GlobalPool2DOp(),
      new Upsample2DOp(),
      new FlattenOp(),
      new BatchNormOp(),
      new LayerNormOp(),
      new MultiHeadAttentionOp(),
      new ScaledDotProductAttentionOp(),
      new SliceOp(),
      new TensorOperandOp(),
      new DropoutOp(),
      new ActivationOp(),
      new PReLUOp(),
      new ElementwiseMergeOp(),
      new ConcatenateOp(),
      new ReshapeOp(), new PermuteOp(), new UnflattenOp(),
      new RescalingOp(), new NormalizationOp(), new ArithmeticOp(),
      new LayerScaleOp(), new ScaledSumOp(),
      new ZeroPad2DOp(), new Cropping2DOp(),
      new EmbeddingOp(), new Conv1DOp(), new Pool1DOp(), new GlobalPool1DOp(),
      new AdaptivePool2DOp(), new RepeatVectorOp(),
      new RecurrentOp(), new MaskingOp(), new StepMaskOp(), new TimeDistributedOp(),
      new CustomOp());

  private static final Map<Class<?>, LayerOpFactory<?>> BY_TYPE = byType(FACTORIES);

  private OpRegistry() {}

  /**
   * @param layer the inferred layer
   * @param params the layer's parameters in its own framework's layout, in {@code params()} order
   * @param context what some ops need from outside the layer (custom layers' forward classes)
   * @throws IllegalArgumentException if no op is registered for the layer's record class
   */
  public static BoundLayer bind(InferredModel.Layer layer, List<INDArray> params, OpContext context) {
    LayerSpec spec = layer.spec();
    LayerOpFactory<?> factory = BY_TYPE.get(spec.getClass());
    if (factory == null) {
      throw new IllegalArgumentException(RuntimeMessage.NO_OP_FOR_LAYER.format(layer.name(), spec.getClass().getName(),
          names(layerTypes())));
    }
    return bind(factory, spec, layer, params, context);
  }

  /** The layer as an epilogue another layer's op can absorb; see {@link LayerOpFactory#asEpilogue}. */
  public static Optional<Epilogue> asEpilogue(InferredModel.Layer layer, List<INDArray> params) {
    LayerOpFactory<?> factory = BY_TYPE.get(layer.spec().getClass());
    return factory == null ? Optional.empty() : asEpilogue(factory, layer, params);
  }

  /** Whether the layer's op applies {@code e} itself; see {@link LayerOpFactory#absorbs}. */
  public static boolean absorbs(InferredModel.Layer layer, Epilogue e) {
    LayerOpFactory<?> factory = BY_TYPE.get(layer.spec().getClass());
    return factory != null && absorbs(factory, layer, e);
  }

  /** The layer as a source its reader computes; see {@link LayerOpFactory#asChannelSource}. */
  public static Optional<ChannelSource> asChannelSource(InferredModel.Layer layer, List<INDArray> params,
      Epilogue e) {
    LayerOpFactory<?> factory = BY_TYPE.get(layer.spec().getClass());
    return factory == null ? Optional.empty() : asChannelSource(factory, layer, params, e);
  }

  /** Whether the layer's op reads through a source of its input; see {@link LayerOpFactory#readsThrough}. */
  public static boolean readsThrough(InferredModel.Layer layer) {
    LayerOpFactory<?> factory = BY_TYPE.get(layer.spec().getClass());
    return factory != null && readsThrough(factory, layer);
  }

  private static <L extends LayerSpec> Optional<ChannelSource> asChannelSource(LayerOpFactory<L> factory,
      InferredModel.Layer layer, List<INDArray> params, Epilogue e) {
    return factory.asChannelSource(factory.layerType().cast(layer.spec()), layer, params, e);
  }

  private static <L extends LayerSpec> boolean readsThrough(LayerOpFactory<L> factory, InferredModel.Layer layer) {
    return factory.readsThrough(factory.layerType().cast(layer.spec()), layer);
  }

  /** Whether the layer's ND4J output may be freed after its last reader; see {@link LayerOpFactory#returnsOwnedArrays}. */
  public static boolean returnsOwnedArrays(LayerSpec layer) {
    LayerOpFactory<?> factory = BY_TYPE.get(layer.getClass());
    return factory != null && returnsOwnedArrays(factory, layer);
  }

  private static <L extends LayerSpec> boolean returnsOwnedArrays(LayerOpFactory<L> factory, LayerSpec layer) {
    return factory.returnsOwnedArrays(factory.layerType().cast(layer));
  }

  private static <L extends LayerSpec> Optional<Epilogue> asEpilogue(LayerOpFactory<L> factory,
      InferredModel.Layer layer, List<INDArray> params) {
    return factory.asEpilogue(factory.layerType().cast(layer.spec()), layer, params);
  }

  private static <L extends LayerSpec> boolean absorbs(LayerOpFactory<L> factory, InferredModel.Layer layer,
      Epilogue e) {
    return factory.absorbs(factory.layerType().cast(layer.spec()), layer, e);
  }

  /** The layer record classes that have an op, in registration order. */
  public static Set<Class<? extends LayerSpec>> layerTypes() {
    Set<Class<? extends LayerSpec>> types = new LinkedHashSet<>();
    for (LayerOpFactory<?> factory : FACTORIES) {
      types.add(factory.layerType());
    }
    return Collections.unmodifiableSet(types);
  }

  // Captures the factory's record type so the spec is cast once, checked, to what it binds.
  private static <L extends LayerSpec> BoundLayer bind(LayerOpFactory<L> factory, LayerSpec spec,
      InferredModel.Layer layer, List<INDArray> params, OpContext context) {
    return factory.bind(factory.layerType().cast(spec), layer, params, context);
  }

  private static Map<Class<?>, LayerOpFactory<?>> byType(List<LayerOpFactory<?>> factories) {
    Map<Class<?>, LayerOpFactory<?>> byType = new LinkedHashMap<>();
    for (LayerOpFactory<?> factory : factories) {
      LayerOpFactory<?> previous = byType.put(factory.layerType(), factory);
      if (previous != null) {
        throw new IllegalStateException("two ops for " + factory.layerType().getName() + ": "
            + previous.getClass().getName() + " and " + factory.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(byType);
  }

  private static String names(Set<Class<? extends LayerSpec>> types) {
    return types.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
  }
}
