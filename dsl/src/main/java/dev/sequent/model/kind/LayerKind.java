package dev.sequent.model.kind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Everything Sequent knows about one family of layers, in one place: how the Java annotations of
 * both vocabularies build its record, its Keras and PyTorch class names, how Keras configs (both
 * dialects) and PyTorch modules (pickled attributes, traced TorchScript calls) read and write it,
 * its Keras twin, how each framework initialises its parameters, and the traits the generic code
 * (shape checks, weight mapping, summaries) asks about. Keras keeps a layer's config, defaults,
 * weights and shape rule in one file ({@code keras/src/layers/<family>/<layer>.py}); PyTorch keeps
 * a module's parameters, their names and initialisation in {@code torch/nn/modules/<family>.py};
 * a Sequent kind is the same idea, one file beside its record, listed once in {@link LayerKinds}.
 *
 * <p>Every method that a kind may not support says so: a layer without a Keras form returns a
 * reason from {@link #kerasUnsupported}; a kind that reads no PyTorch module or no Keras class
 * says why ({@link #withoutTorchModule}, {@link #withoutKerasClass}). There are no silent fallbacks: generic code asks the registry, which
 * fails for an unregistered record or class name.
 *
 * @param <L> the layer record
 */
public interface LayerKind<L extends LayerSpec> {

  /** The record this kind describes. */
  Class<L> recordType();

  // ------------------------------------------------------------------------------------- names

  /** The Keras class of the layer, whichever vocabulary declared it ({@code Dense} for a PyTorch Linear). */
  String kerasClass(L layer);

  /** The {@code torch.nn} class of the layer, whichever vocabulary declared it ({@code Linear} for a Keras Dense). */
  String torchClass(L layer);

  // ------------------------------------------------------------------------------- annotations

  /** One annotation of the DSL and the record it declares. */
  record AnnotationBuilder(String annotation, Function<AnnotationValues, LayerSpec> build) {}

  /** The DSL annotations (qualified names) that declare this kind, with their builders. */
  List<AnnotationBuilder> annotations();

  /**
   * How {@code layer} is written in the DSL ({@code ./sequent import}): one of {@link #annotations()}
   * and its attribute values, the inverse of that annotation's builder. Empty by default: the source
   * writer then tries each annotation of the layer's vocabulary with the attributes named as the
   * record's components, and uses the one whose builder gives the layer back.
   */
  default Optional<SourceForm> sourceForm(L layer) {
    return Optional.empty();
  }

  // ----------------------------------------------------------------------------- Keras configs

  /** The {@code module} a Keras config names for the layer; null for a layer of the user's own. */
  default String kerasModule(L layer) {
    return "keras.layers";
  }

  /**
   * Whether the tf_keras-form {@code model_config} of a legacy {@code .h5} names the layer's
   * {@code module} ({@code "keras.layers"}, with a null {@code registered_name}), as tf_keras itself
   * does not. Keras 3's {@code load_model} reads an entry without a module through its legacy
   * deserializer, which keeps an {@code axis} list only when it has one element (Keras 3.15
   * {@code keras/src/legacy/saving/saving_utils.py}); a layer whose config may hold a longer axis
   * list (LayerNormalization over several axes) needs the module to be read by the current one.
   * BatchNormalization must not have it: the current deserializer wants its axis an int.
   */
  default boolean legacyH5NamesModule(L layer) {
    return false;
  }

  /** The {@code registered_name} a Keras 3 config gives the layer; empty for Keras' own classes (null). */
  default Optional<String> kerasRegisteredName(L layer) {
    return Optional.empty();
  }

  /** The Keras class names ({@code config["class_name"]}) this kind reads. */
  List<String> kerasClassNames();

  /**
   * The record for a Keras layer config of one of {@link #kerasClassNames}, either dialect.
   *
   * @throws UnsupportedLayerException naming the layer and the option Sequent does not implement
   */
  L fromKeras(KerasLayerInput config);

  /**
   * The outputs after the first of a Keras call that returns several tensors (an
   * {@code LSTM(return_state=True)}'s h and c), each as the record giving it (its
   * {@link LayerSpec#outputIndex}), read from the same inputs with the first's weights; an element
   * equal to {@code layer} is the first output itself. Empty for a layer with one output.
   */
  default List<L> kerasExtraOutputs(L layer) {
    return List.of();
  }

  /**
   * What the layer does with a Keras mask on its input ({@link MaskUse}); Keras' default for a layer
   * that does not support masking, {@link MaskUse#DROPS}, unless the kind says otherwise.
   */
  default MaskUse kerasMaskUse(L layer) {
    return MaskUse.DROPS;
  }

  /**
   * The layer reading the mask of its input's steps as its last input, for a kind whose
   * {@link #kerasMaskUse} reads it.
   */
  default L withMaskInput(L layer) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " reads no mask");
  }

  /**
   * The mask the layer attaches to its output, computed from its (first) input: Keras'
   * {@code Embedding(mask_zero=True)} (ids not 0) and {@code Masking} (a step with a feature other
   * than {@code mask_value}); empty for a layer that makes none (it may pass one on, see
   * {@link #kerasMaskUse}).
   */
  default Optional<LayerSpec> kerasMaskMade(L layer) {
    return Optional.empty();
  }

  /**
   * How a Keras Functional model calls the layer on its inputs ({@code inbound_nodes}): the usual
   * call (one tensor, or one positional list of several) unless the kind says otherwise (an
   * attention layer's {@code mha(query, value, key=..., use_causal_mask=True)}). The readers hand
   * the same facts back to {@link #fromKeras} ({@link KerasLayerInput#arguments},
   * {@link KerasLayerInput#callOptions}).
   */
  default KerasCall kerasCall(L layer) {
    return KerasCall.USUAL;
  }

  /**
   * The Keras 3 {@code build_config} of the layer, where it is not the usual
   * {@code {"input_shape": ...}} of its input(s): a layer whose {@code build} takes several named
   * shapes ({@code MultiHeadAttention.build(query_shape, value_shape, key_shape)}) is written
   * {@code {"shapes_dict": {...}}}, which Keras 3's {@code load_model} passes as keywords.
   */
  default Optional<ObjectNode> kerasBuildConfig(L layer, InferredModel.Layer inferred) {
    return Optional.empty();
  }

  /**
   * The operation node the layer is in a Keras Functional model's config when it is code in the
   * model rather than a layer ({@code x * 0.5}); empty for a layer. The config writers then write
   * the node as each Keras does ({@link KerasOperation}), not {@link #writeKeras}'s layer config.
   */
  default Optional<KerasOperation> kerasOperation(L layer) {
    return Optional.empty();
  }

  /** Why the layer has no Keras config (an option Keras lacks), or empty when it has one. */
  default Optional<String> kerasUnsupported(L layer) {
    return Optional.empty();
  }

  /**
   * Writes the layer's own keys into its Keras {@code config} object ({@code name}, {@code trainable}
   * and {@code dtype} are written by the caller). For {@link KerasDialect#TF_KERAS} the layer is
   * in the Keras vocabulary (a {@link dev.sequent.model.report.KerasTwin}).
   */
  void writeKeras(L layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config);

  // --------------------------------------------------------------------------- PyTorch modules

  /** The {@code torch.nn} modules this kind reads, qualified ({@code torch.nn.modules.linear.Linear}); empty for none. */
  List<String> torchModules();

  /** Why the kind lists no {@link #torchModules} (PyTorch has no such module), or empty when it lists some. */
  default Optional<String> withoutTorchModule() {
    return Optional.empty();
  }

  /** Why the kind lists no {@link #kerasClassNames} (no Keras class to read), or empty when it lists some. */
  default Optional<String> withoutKerasClass() {
    return Optional.empty();
  }

  /**
   * The record for a pickled or TorchScript module of one of {@link #torchModules}.
   *
   * @throws UnsupportedLayerException naming the module and the option Sequent does not implement
   */
  default L fromTorch(TorchModuleInput module) {
    throw module.unsupported("Sequent does not read this module");
  }

  /**
   * The module attributes of a traced TorchScript module of class {@code simpleName}, recovered from
   * the one call its forward was traced to and its tensors' shapes ({@code weight} -> dims); empty
   * when the call is not the one this kind expects (nothing is guessed).
   */
  default Map<String, Object> tracedAttributes(String simpleName, TracedCall call, Map<String, long[]> shapes) {
    return Map.of();
  }

  /** Whether a traced module of this class needs no call to be understood (parameterless activations). */
  default boolean parameterless(String simpleName) {
    return false;
  }

  /**
   * The input shape a module of this kind states when it is first in a model ({@code Linear}'s
   * {@code in_features}); empty when it does not (a convolution's spatial size is not recorded).
   */
  default Optional<Shape> statedInputShape(TorchModuleInput module) {
    return Optional.empty();
  }

  /** The module's attributes as PyTorch pickles them, the inverse of {@link #fromTorch}; empty for a layer without a module. */
  default Map<String, Object> torchAttributes(L layer, InferredModel.Layer inferred) {
    return Map.of();
  }

  /**
   * Tensors a PyTorch {@code state_dict} holds for this layer beyond its parameters (BatchNorm's
   * {@code num_batches_tracked}): local names, written as int64 scalars 0 and skipped when read.
   */
  default List<String> torchExtraBuffers(L layer) {
    return List.of();
  }

  /**
   * Whether Keras keeps {@code param} as an integer variable (Normalization's int64 {@code count}):
   * Keras counts it among the layer's parameters and expects it when loading, but the readers skip
   * integer datasets as not weights, so a Keras file's missing value is the parameter's initial
   * one (zeros) rather than an error. Sequent writes it as a float32 scalar, which Keras 3 and
   * tf_keras cast on loading.
   */
  default boolean kerasIntegerVariable(L layer, ParamSpec param) {
    return false;
  }

  // ------------------------------------------------------------- parameters across frameworks

  /**
   * The layer's tensors as {@code framework}'s own layer holds them: names, shapes, trainable, in
   * that framework's order ({@code layer.params(inputs)} is the declaring framework's). The default
   * is the 1:1 pairing of {@link LayerSpec#params}: one {@link ParamSpec} per tensor with both
   * frameworks' names and shapes. A layer whose tensors do not pair 1:1 (a Keras LSTM's one bias is
   * PyTorch's two) lists each framework's own tensors ({@link ParamSpec#own}) and converts them in
   * {@link #convertParams}. Loading, saving to the other framework, the parameter-name listings and
   * both summaries' counts (Keras' {@code summary()} and torchinfo count differently) ask this.
   */
  default List<ParamSpec> frameworkParams(L layer, List<Shape> inputs, Framework framework) {
    return layer.params(inputs);
  }

  /**
   * The layer's tensors in {@code to}'s form ({@link #frameworkParams}{@code (to)}, in order) from
   * its tensors in {@code from}'s form. The default converts each 1:1 {@link ParamSpec} by its
   * {@link ParamSpec.Layout} ({@link ParamConversion#perParameter}). Called only when
   * {@link #conversionRefused} is empty and {@code from != to}; never modifies {@code values}.
   */
  default List<ParamArray> convertParams(L layer, List<Shape> inputs, Framework from, Framework to,
      List<ParamArray> values) {
    return ParamConversion.perParameter(layer.params(inputs), from, to, values);
  }

  /**
   * Why the layer's tensors cannot be given in {@code to}'s form from the other framework's (a
   * Keras {@code GRU(reset_after=False)} has no exact PyTorch twin), or empty when they can.
   */
  default Optional<String> conversionRefused(L layer, Framework to) {
    return Optional.empty();
  }

  /**
   * {@link #conversionRefused(LayerSpec, Framework)} for the layer on these inputs, for kinds whose
   * answer depends on them (a Keras MultiHeadAttention has a PyTorch form only when its heads split
   * the query's features); the weight mapping asks this one.
   */
  default Optional<String> conversionRefused(L layer, List<Shape> inputs, Framework to) {
    return conversionRefused(layer, to);
  }

  /**
   * What {@link #convertParams} does between the frameworks, for conversion reports; empty for the
   * 1:1 default, which the weight mapping describes per tensor from its layout.
   */
  default Optional<String> describeConversion(L layer, Framework from, Framework to) {
    return Optional.empty();
  }

  /**
   * Where Keras 3 saves tensor {@code index} of the layer's Keras form, below the layer's own group
   * ({@code layers/<class>/}): {@code vars/<index>}, or a sublayer's vars for layers whose variables
   * belong to a cell ({@code cell/vars/0}) or to wrapped layers ({@code forward_layer/cell/vars/0}).
   */
  default String keras3VarPath(L layer, int index) {
    return "vars/" + index;
  }

  // --------------------------------------------------------------------------------- the twin

  /**
   * The layer's Keras twin (see {@link dev.sequent.model.report.KerasTwin}), or why there is none:
   * one Keras layer, or a short chain of them ({@link Twin#chain}) where Keras spells an option as a
   * layer of its own (explicit padding as {@code ZeroPadding2D} before a "valid" layer). The kind
   * decides what is exact, with {@link #kerasUnsupported} in mind: every link must itself have a
   * Keras config, which {@code KerasTwin} checks.
   */
  Twin kerasTwin(L layer, TwinContext context);

  // -------------------------------------------------------------------------- initialisation

  /**
   * A fresh value of parameter {@code param} as {@code framework} initialises it, in that framework's
   * layout, drawing from {@code random}.
   *
   * @throws IllegalStateException for a parameter the kind does not know (a bug, not user error)
   */
  default float[] initialValue(L layer, InferredModel.Layer inferred, ParamSpec param, Framework framework,
      Random random) {
    throw new IllegalStateException(getClass().getSimpleName() + " has no initialiser for parameter "
        + param.kerasName() + " of layer " + inferred.name());
  }

  /**
   * Whether a file's tensor of shape {@code offered}, where {@code param} in {@code from}'s form
   * has another shape, is another layer's form of the same values in the same memory order, so that
   * a reshape to {@code param.shape(from)} reads it: a Keras {@code DepthwiseConv2D} kernel
   * {@code (kh, kw, C, M)} for a {@code Conv2d(groups = C)}'s {@code (kh, kw, 1, C*M)}. None by default
   * (a mis-shaped tensor is an error).
   */
  default boolean readsReshaped(L layer, List<Shape> inputs, ParamSpec param, Framework from, Shape offered) {
    return false;
  }

  // ----------------------------------------------------------------------- adapters and traits

  /** The layer's epsilon when it can be folded into a parameter between frameworks. */
  default Optional<EpsilonFold> epsilonFold(L layer) {
    return Optional.empty();
  }

  /**
   * Whether each output feature is the input feature at the same position, so that a permutation of
   * features passes through unchanged (activations, dropout): the weight mapping looks through such
   * layers from a Dense layer back to the Flatten whose row order it must convert.
   */
  default boolean keepsFeatureOrder() {
    return false;
  }

  /**
   * Whether the layer's output is {@code >= 0} whatever its input (ReLU, sigmoid, a fused relu):
   * a padded max pool after it has a zero-padding Keras twin ({@link TwinContext#inputNonNegative}).
   */
  default boolean nonNegativeOutput(L layer) {
    return fusedActivation(layer).nonNegative();
  }

  /**
   * Whether a non-negative input gives a non-negative output (dropout, reshapes, pooling, padding
   * with zeros); by default the layers that {@linkplain #keepsFeatureOrder keep feature order}.
   */
  default boolean keepsNonNegative(L layer) {
    return keepsFeatureOrder() && fusedActivation(layer).keepsNonNegative();
  }

  /** Whether PyTorch has the layer as a module (a residual add is code in a {@code forward}, not a module). */
  default boolean isTorchModule() {
    return true;
  }

  /**
   * The activation the layer applies after its own computation (Keras {@code activation=}), which
   * the equivalent PyTorch model has as a module of its own; linear for layers that are activations.
   */
  default Activation fusedActivation(L layer) {
    return layer.activation();
  }

  // ---------------------------------------------------------------------------------- examples

  /** A record of this kind and an input it accepts. */
  record Example(LayerSpec layer, Shape input) {}

  /**
   * Representative records of this kind in both vocabularies, with inputs they accept; the catalogue
   * test runs every registry-wide check on them, so a new kind is covered the moment it is registered.
   */
  List<Example> examples();
}
