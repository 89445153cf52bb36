package dev.sequent.runtime;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.report.Keras2Config;
import dev.sequent.model.report.KerasConfig;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.model.report.TorchSummary;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.keras.KerasArchiveConfig;
import dev.sequent.runtime.io.keras.KerasH5Architecture;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.weights.Initializers;
import dev.sequent.runtime.weights.WeightMapping;
import dev.sequent.runtime.weights.WeightSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network ready to run: the network model plus one set of parameters, executed on ND4J.
 *
 * <p>Thread safety: {@link #forward} may be called from any number of threads at once. Loading
 * weights builds and checks a complete new parameter set first and then swaps it in with one
 * volatile write, so concurrent forwards see either the old or the new weights, never a mix, and
 * a failed load leaves the old weights in place.
 */
public final class Network {
  // The public facade. The work is done by package-private classes, one job each: NetworkLoading
  // reads models and weights from files and configs, PlanBinder binds a parameter set to the
  // layers as an ExecutionPlan, which runs the forward pass, WeightViews shows the parameters as
  // PyTorch or Keras would hold them, and WeightSaving writes them to files. Their messages are
  // in RuntimeMessage.
  private final InferredModel model;
  private final PlanBinder binder;
  /** The blocks behind dotted layer names (a Java model with blocks), for the nested summary. */
  private volatile ModuleTree modules = ModuleTree.FLAT;
  /** The current weights and the layers bound to them; replaced whole, never modified. */
  private volatile ExecutionPlan plan;

  private Network(InferredModel model, Map<String, List<INDArray>> params) {
    Nd4jRuntime.ensureReady();
    this.model = model;
    this.binder = new PlanBinder(model);
    this.plan = binder.bind(params);
  }

  /** A network with freshly initialised weights (each layer as its framework initialises it). */
  public static Network create(InferredModel model) {
    return create(model, new Random().nextLong());
  }

  /** As {@link #create(InferredModel)}, with a seed for reproducible initial weights. */
  public static Network create(InferredModel model, long seed) {
    Nd4jRuntime.ensureReady();
    return new Network(model, Initializers.initialise(model, new Random(seed)));
  }

  /**
   * As {@link #create(InferredModel)} for a model declared with blocks: {@code modules} (the
   * generated {@code MODULES}) gives {@link #summary()} torchinfo's nested tree.
   */
  public static Network create(InferredModel model, ModuleTree modules) {
    return create(model, new Random().nextLong()).withModules(modules);
  }

  /**
   * This network, its summary showing the module tree of the blocks it was declared with. Summaries
   * only: layers, names and weights are those of the flat model either way.
   */
  public Network withModules(ModuleTree tree) {
    this.modules = java.util.Objects.requireNonNull(tree, "tree");
    return this;
  }

  /** The module structure summaries show; {@link ModuleTree#FLAT} for a model without blocks. */
  public ModuleTree modules() {
    return modules;
  }

  /** A network for a model spec, checking its shapes first. */
  public static Network create(ModelSpec spec) {
    return create(ShapeInference.inferOrThrow(spec));
  }

  /**
   * A network whose architecture and weights both come from a file, with no Java source: a Keras
   * whole-model {@code .h5} or {@code .keras}, or a whole pickled PyTorch {@code nn.Sequential}.
   *
   * @throws dev.sequent.runtime.arch.UnsupportedArchitectureException when the file carries no
   *     architecture or uses a layer Sequent cannot run (named with its class)
   */
  public static Network load(Path file) {
    return load(file, Optional.empty(), TorchReadOptions.DEFAULT, WeightProgress.NONE);
  }

  /**
   * As {@link #load(Path)}, with the sample input shape a pickled or TorchScript PyTorch CNN does
   * not record.
   */
  public static Network load(Path file, Shape inputShape) {
    return load(file, Optional.of(inputShape), TorchReadOptions.DEFAULT, WeightProgress.NONE);
  }

  /** As {@link #load(Path)}, for a whole pickled model inside a checkpoint dict ({@code options.entry()}). */
  public static Network load(Path file, TorchReadOptions options) {
    return load(file, Optional.empty(), options, WeightProgress.NONE);
  }

  /** As {@link #load(Path, Shape)}, for a whole pickled model inside a checkpoint dict. */
  public static Network load(Path file, Shape inputShape, TorchReadOptions options) {
    return load(file, Optional.of(inputShape), options, WeightProgress.NONE);
  }

  /**
   * The general form of {@link #load(Path)}: the input shape when the file does not record it,
   * the checkpoint options, and {@code progress} told of each tensor as it is loaded.
   */
  public static Network load(Path file, Optional<Shape> inputShape, TorchReadOptions options,
      WeightProgress progress) {
    return load(WeightFiles.read(file, options), inputShape, progress);
  }

  /**
   * As {@link #load(Path, Optional, TorchReadOptions, WeightProgress)}, for a file already read
   * (so a caller that also needs the file's format reads it once).
   */
  public static Network load(WeightFile weights, Optional<Shape> inputShape, WeightProgress progress) {
    Nd4jRuntime.ensureReady();
    InferredModel model = NetworkLoading.modelOf(weights, inputShape);
    // The file's weights are the network's first weights: no random initialisation to overwrite
    return new Network(model, NetworkLoading.weightsOfOwnModel(model, weights, progress))
        .withModules(weights.architecture().map(a -> a.modules()).orElse(ModuleTree.FLAT));
  }

  /**
   * A network (fresh weights) from a Keras {@code model.to_json()} / {@code model_config} string,
   * as Keras' {@code model_from_json}; the inverse of {@link #config()}.
   *
   * @throws UnsupportedArchitectureException naming any layer Sequent cannot build
   */
  public static Network fromConfig(String kerasJson) {
    return create(NetworkLoading.modelOfKerasConfig(kerasJson));
  }

  /**
   * Loads weights from a Keras or PyTorch file of any supported form, converting layouts to this
   * model's. All or nothing: on any mismatch this network keeps its weights.
   */
  public Network loadWeights(Path file) {
    return loadWeights(file, TorchReadOptions.DEFAULT);
  }

  /**
   * As {@link #loadWeights(Path)}, choosing the state_dict of a PyTorch checkpoint ({@code
   * options.entry()}, e.g. {@code "ema"}) and removing a prefix from tensor names. Without a
   * prefix option, a file whose every tensor name starts with {@code module.} (saved from
   * {@code nn.DataParallel} / {@code DistributedDataParallel}) is read without it, with a warning,
   * unless this model's own parameter names start with {@code module.}.
   */
  public Network loadWeights(Path file, TorchReadOptions options) {
    return loadWeights(file, options, WeightProgress.NONE);
  }

  /** As {@link #loadWeights(Path, TorchReadOptions)}, telling {@code progress} of each tensor loaded. */
  public Network loadWeights(Path file, TorchReadOptions options, WeightProgress progress) {
    return loadWeights(WeightFiles.read(file, options), options.stripPrefix().isEmpty(), progress);
  }

  /**
   * As {@link #loadWeights(Path, TorchReadOptions, WeightProgress)}, for a file already read (with
   * its checkpoint options applied); a {@code module.} on every name is removed as there.
   */
  public Network loadWeights(WeightFile weights, WeightProgress progress) {
    return loadWeights(weights, true, progress);
  }

  private Network loadWeights(WeightFile weights, boolean dropDataParallelPrefix, WeightProgress progress) {
    plan = NetworkLoading.bindWeightsOf(weights, dropDataParallelPrefix, progress, binder);
    return this;
  }

  public InferredModel model() {
    return model;
  }

  public String name() {
    return model.spec().name();
  }

  /** The sample input shape, without the batch axis (the first input's, for a model with several). */
  public Shape inputShape() {
    return model.inputShape();
  }

  /** The sample output shape, without the batch axis (the first output's, for a model with several). */
  public Shape outputShape() {
    return model.outputShape();
  }

  /**
   * The inputs' names, in the order {@link #forward(List)} takes them: a Keras model's
   * {@code InputLayer} names ({@code [a.name for a in model.inputs]}); {@code [input]} for a
   * single-input model.
   */
  public List<String> inputNames() {
    return model.spec().inputNames();
  }

  /** The outputs' names (the layers that produce them), in the order {@link #forward(List)} returns them. */
  public List<String> outputNames() {
    return model.spec().outputs();
  }

  /** Every input's sample shape, in {@link #inputNames()} order. */
  public List<Shape> inputShapes() {
    return model.inputShapes();
  }

  /** Every output's sample shape, in {@link #outputNames()} order. */
  public List<Shape> outputShapes() {
    return model.outputShapes();
  }

  /**
   * The summary in the model's own vocabulary: Keras' table as Keras prints it in a wide terminal
   * (its own line lengths, 88 or 108), or torchinfo's.
   */
  public String summary() {
    return summary(KerasSummary.WIDE_TERMINAL);
  }

  /**
   * As {@link #summary()}, Keras' table as Keras prints it in a terminal {@code columns} wide
   * (Keras sizes it to {@code columns - 4} when that is narrower, wrapping long cells; Python
   * assumes 80 columns where the output is no terminal). torchinfo's does not depend on it.
   */
  public String summary(int columns) {
    return model.spec().framework() == Framework.KERAS ? KerasSummary.render(model, modules, columns)
        : TorchSummary.render(model, modules);
  }

  /** The Keras {@code to_json()} config of the architecture. */
  public String config() {
    return KerasConfig.toJson(model);
  }

  // ---------------------------------------------------------------- forward

  /**
   * Runs the model on a batch {@code [N, ...inputShape()]} of float32 (other float types are
   * converted) and returns {@code [N, ...outputShape()]}. The input is not modified.
   *
   * @throws InputShapeException when the batch does not have the model's input shape
   */
  public INDArray forward(INDArray batch) {
    return plan.forward(batch);
  }

  /**
   * Runs a model with several inputs or outputs (or one of each), as Keras' {@code model([a, b])}:
   * one batch per input in {@link #inputNames()} order, every batch with the same number of
   * samples; returns one batch per output in {@link #outputNames()} order (a list even for one
   * output, as Keras returns for a model built with a list of outputs). Inputs are not modified.
   *
   * @throws InputShapeException when the number of batches, a batch's shape or the batch sizes
   *     do not fit the model
   */
  public List<INDArray> forward(List<INDArray> batches) {
    return plan.forward(batches);
  }

  /**
   * As {@link #forward(List)}, with the inputs by name (Keras' {@code model({"a": a, "b": b})});
   * returns the outputs by output name, in {@link #outputNames()} order.
   *
   * @throws InputShapeException when the names are not exactly the model's inputs, or as
   *     {@link #forward(List)}
   */
  public Map<String, INDArray> forward(Map<String, INDArray> batches) {
    List<String> names = inputNames();
    if (!new java.util.HashSet<>(names).equals(batches.keySet())) {
      throw new InputShapeException(RuntimeMessage.INPUT_NAMES.format(name(), new java.util.TreeSet<>(batches.keySet()),
          names));
    }
    List<INDArray> out = plan.forward(names.stream().map(batches::get).toList());
    Map<String, INDArray> byName = new LinkedHashMap<>();
    for (int i = 0; i < out.size(); i++) {
      byName.put(outputNames().get(i), out.get(i));
    }
    return byName;
  }

  /** The current plan (tests compare it with differently prepared plans of the same weights). */
  ExecutionPlan plan() {
    return plan;
  }

  // ---------------------------------------------------------------- weights

  /**
   * Replaces all parameters with tensors from {@code source}, converting layouts. Either every
   * tensor fits and all are replaced, or {@link dev.sequent.runtime.weights.WeightMismatchException}
   * lists every problem and nothing changes.
   */
  public Network loadWeights(WeightSource source) {
    plan = binder.bind(WeightMapping.map(model, source));
    return this;
  }

  /**
   * Saves the weights for the equivalent model of the framework the file name asks for, converting
   * layouts as {@link #stateDict()} / {@link #getWeights()} do (dense and convolution kernels,
   * the row order of a dense layer after a flatten, BatchNorm eps folded into the variance for the
   * target's default eps):
   *
   * <ul>
   *   <li>{@code .pt} / {@code .pth}: a PyTorch state_dict zip that
   *       {@code torch.load(weights_only=True)} reads; {@code .safetensors}. PyTorch names and
   *       layouts; BatchNorm layers also get {@code num_batches_tracked} (0).
   *   <li>{@code .weights.h5}: Keras 3's {@code save_weights} layout
   *       ({@code layers/conv2d/vars/0}), for Keras 3 {@code model.load_weights}.
   *   <li>{@code .h5} / {@code .hdf5}: a legacy whole-model file, as tf_keras'
   *       {@code model.save("x.h5")}: the {@code model_config} of the Keras twin and the Keras 2
   *       HDF5 weights layout ({@code layer_names}, {@code weight_names},
   *       {@code conv/conv/kernel:0}) in {@code model_weights}; {@code keras.models.load_model}
   *       (Keras 3), {@code tf_keras.models.load_model} and {@link #load(Path)} rebuild the model
   *       from it, and tf_keras and Keras 3 {@code model.load_weights} still read its weights.
   *       When the model has no Keras twin ({@link #kerasH5Architecture()} says why: custom
   *       layers, ...) the file holds the weights layout alone, at its root, as
   *       {@code save_weights("x.h5")} writes it. A model whose twin's config is too long for the
   *       HDF5 attribute Sequent writes (about 58 KB, ResNet50's is larger) is refused with the
   *       size and the alternative, {@code .keras}; nothing is written.
   *   <li>{@code .keras}: a Keras 3 archive, as {@code keras.saving.save_model("x.keras")}:
   *       {@code config.json} (the Keras 3 serialization of the Keras twin), {@code metadata.json}
   *       and {@code model.weights.h5} (the {@code .weights.h5} layout above);
   *       {@code keras.models.load_model} and {@link #load(Path)} rebuild the model from it, with
   *       no config size limit. A model without a Keras twin ({@link #kerasArchiveConfig()} says
   *       why) is refused with that reason and nothing is written: an archive without a config is
   *       no {@code .keras}.
   * </ul>
   *
   * Keras files are written in channels-last Keras layouts for the Keras twin of this model
   * ({@link KerasTwin}; see {@link dev.sequent.runtime.io.keras.KerasWeightsWriter} for what
   * differs from Keras' own files). The file is replaced atomically; on failure the previous file
   * is left as it was.
   *
   * @throws java.io.IOException naming the file (and the layer, where one is at fault)
   * @throws UnsupportedOperationException for other extensions, and for {@code .keras} when the
   *     model has no Keras twin
   */
  public Network saveWeights(Path file) throws java.io.IOException {
    return saveWeights(file, WeightProgress.NONE);
  }

  /** As {@link #saveWeights(Path)}, telling {@code progress} of each tensor written. */
  public Network saveWeights(Path file, WeightProgress progress) throws java.io.IOException {
    WeightSaving.save(model, currentWeights(), file, progress);
    return this;
  }

  /**
   * What a Keras {@code .h5} written by {@link #saveWeights} carries besides the weights: the
   * tf_keras-form {@code model_config} ({@link Keras2Config}) of this model's Keras twin
   * ({@link KerasTwin}: channels-last, Keras classes, BatchNorm eps 1e-3, the model the exported
   * weights belong to), or why there is none and the file holds weights only, or why no .h5 is
   * written (a config too long for it).
   */
  public KerasH5Architecture kerasH5Architecture() {
    return WeightSaving.kerasH5Architecture(model);
  }

  /**
   * The {@code config.json} a {@code .keras} archive written by {@link #saveWeights} carries: the
   * Keras 3 {@code to_json()} form ({@link dev.sequent.model.report.KerasConfig}) of this model's
   * Keras twin ({@link KerasTwin}), or why there is none, in which case {@code saveWeights("x.keras")}
   * refuses with that reason.
   */
  public KerasArchiveConfig kerasArchiveConfig() {
    return WeightSaving.kerasArchiveConfig(model);
  }

  /**
   * A PyTorch-style state_dict: names as PyTorch would give them, PyTorch layouts, buffers
   * included, converted for the equivalent PyTorch model (flatten order, BatchNorm eps 1e-5).
   */
  public Map<String, INDArray> stateDict() {
    return currentWeights().stateDict();
  }

  /** Loads a PyTorch-style state_dict (strict: every key must match a parameter, and vice versa). */
  public Network loadStateDict(Map<String, INDArray> stateDict) {
    return loadWeights(WeightViews.stateDictSource(stateDict));
  }

  /** Trainable parameters under PyTorch names, as {@code model.named_parameters()} lists them. */
  public Map<String, INDArray> namedParameters() {
    return currentWeights().namedParameters();
  }

  /** The layers by name, in execution order, as {@code model.named_modules()} would list them. */
  public Map<String, LayerSpec> namedModules() {
    Map<String, LayerSpec> out = new LinkedHashMap<>();
    model.nodes().forEach(l -> out.put(l.name(), l.spec()));
    return out;
  }

  /**
   * All weights in Keras order and Keras layouts, as {@code model.get_weights()} returns them,
   * converted for the equivalent Keras model (channels-last flatten order, BatchNorm eps 1e-3).
   */
  public List<INDArray> getWeights() {
    return currentWeights().getWeights();
  }

  /** Sets all weights from a Keras-order, Keras-layout list, as {@code model.set_weights()}. */
  public Network setWeights(List<INDArray> weights) {
    return loadWeights(WeightViews.setWeightsSource(model, weights));
  }

  /** The current weights, all from one plan even while another thread loads new ones. */
  private WeightViews currentWeights() {
    return new WeightViews(model, plan.params());
  }

  /** Whether this model's images are channels-last, channels-first, or it has none (null). */
  public DataFormat dataFormat() {
    for (InferredModel.Layer l : model.nodes()) {
      if (l.spec().dataFormat() != null) {
        return l.spec().dataFormat();
      }
    }
    return null;
  }
}
