package dev.sequent.runtime;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.report.Keras2Config;
import dev.sequent.model.report.KerasConfig;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.model.report.TorchSummary;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.OpRegistry;
import dev.sequent.runtime.weights.Initializers;
import dev.sequent.runtime.weights.WeightMapping;
import dev.sequent.runtime.weights.WeightSource;
import dev.sequent.runtime.arch.Architectures;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.keras.KerasH5Architecture;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.weights.WeightSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Network.class);
  private final InferredModel model;
  private final Map<String, CustomForward> customs = new HashMap<>();
  private volatile Plan plan;

  /**
   * Parameters (each layer's own framework layout), the layers bound to them, and the largest
   * batch every layer can run in plain Java (0 when one cannot, e.g. a custom layer): such batches
   * never create an ND4J array between layers.
   */
  private record Plan(Map<String, List<INDArray>> params, List<BoundLayer> ops, int javaMaxBatch) {}

  private Network(InferredModel model, Map<String, List<INDArray>> params) {
    Nd4jRuntime.ensureReady();
    this.model = model;
    this.plan = bind(params);
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
    Path file = weights.source();
    String name = file.getFileName().toString().replaceFirst("\\..*$", "");
    ModelSpec spec = Architectures.of(weights, name, inputShape).orElseThrow(() ->
        new UnsupportedArchitectureException(file + " holds weights only (" + weights.format()
            + "), no architecture; declare the model in Java and load the file into it (--class)"));
    ShapeInference.Result result = ShapeInference.infer(spec);
    if (!result.ok()) {
      String given = inputShape.map(s -> " with the input shape " + s + " given for it"
          + (spec.framework() == Framework.TORCH && s.rank() == 3
              ? " (PyTorch models take channels-first input: N,C,H,W)" : "")).orElse("");
      throw new UnsupportedArchitectureException(file + ": the architecture in the file does not check" + given + ": "
          + result.problems().stream().map(p -> p.message()).collect(Collectors.joining("; ")));
    }
    // The file's weights are the network's first weights: no random initialisation to overwrite
    return new Network(result.model(), readingMapped(weights,
        () -> WeightMapping.map(result.model(), WeightSources.from(weights, List.of()), progress)));
  }

  /**
   * A network (fresh weights) from a Keras {@code model.to_json()} / {@code model_config} string,
   * as Keras' {@code model_from_json}; the inverse of {@link #config()}.
   *
   * @throws UnsupportedArchitectureException naming any layer Sequent cannot build
   */
  public static Network fromConfig(String kerasJson) {
    ModelSpec spec;
    try {
      spec = dev.sequent.runtime.arch.KerasArchitecture.toModelSpec(
          dev.sequent.runtime.io.keras.KerasModelConfig.parse(kerasJson));
    } catch (IllegalArgumentException e) {
      throw new UnsupportedArchitectureException("not a Keras model config: " + e.getMessage());
    }
    ShapeInference.Result result = ShapeInference.infer(spec);
    if (!result.ok()) {
      throw new UnsupportedArchitectureException("the Keras config does not check: "
          + result.problems().stream().map(p -> p.message()).collect(Collectors.joining("; ")));
    }
    return create(result.model());
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
    WeightFile file = dropDataParallelPrefix ? withoutDataParallelPrefix(weights) : weights;
    plan = readingMapped(file, () -> bind(WeightMapping.map(model,
        WeightSources.from(file, Architectures.batchNormEpsilons(file)), progress)));
    return this;
  }

  /**
   * Runs {@code work}, which copies a file's mapped tensors, turning a fault in the mapping (the
   * file cut short after it was read) into an error naming the file. The JVM reports such faults
   * asynchronously, at a later safepoint of the copying thread, so the tensor's own check cannot
   * catch every one; this is the outermost frame that still owns the work.
   */
  private static <T> T readingMapped(WeightFile file, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (InternalError e) {
      throw new dev.sequent.runtime.io.WeightFileException(file.source(), "the file changed or became unreadable "
          + "after it was opened: " + e.getMessage(), e);
    }
  }

  private static final String DATA_PARALLEL_PREFIX = "module.";

  private WeightFile withoutDataParallelPrefix(WeightFile weights) {
    if (weights.tensors().isEmpty()
        || !weights.tensors().keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))
        || ParameterNames.of(model).stream().anyMatch(p -> p.torchName().startsWith(DATA_PARALLEL_PREFIX))) {
      return weights;
    }
    LOG.warn("{}: every tensor name starts with \"{}\" (saved from nn.DataParallel?) and {} has no such "
        + "parameter; reading the names without it", weights.source(), DATA_PARALLEL_PREFIX, name());
    return weights.withoutPrefix(DATA_PARALLEL_PREFIX);
  }

  public InferredModel model() {
    return model;
  }

  public String name() {
    return model.spec().name();
  }

  /** The sample input shape, without the batch axis. */
  public Shape inputShape() {
    return model.inputShape();
  }

  /** The sample output shape, without the batch axis. */
  public Shape outputShape() {
    return model.outputShape();
  }

  /** The summary in the model's own vocabulary: Keras' table or torchinfo's. */
  public String summary() {
    return model.spec().framework() == Framework.KERAS ? KerasSummary.render(model) : TorchSummary.render(model);
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
    checkInput(batch);
    Plan p = plan;
    long n = batch.size(0);
    if (n >= 1 && n <= p.javaMaxBatch()) {
      return forwardInJava(p, batch, (int) n);
    }
    INDArray x = batch.dataType() == DataType.FLOAT ? batch.dup('c') : batch.castTo(DataType.FLOAT).dup('c');
    return pass(p, x, (op, inputs) -> op.nd4j().apply(inputs));
  }

  /** The same pass on Java arrays: one ND4J array, the result, instead of several per layer. */
  private INDArray forwardInJava(Plan p, INDArray batch, int n) {
    float[] x = FloatArrays.copyOf(batch.dataType() == DataType.FLOAT ? batch : batch.castTo(DataType.FLOAT));
    float[] y = pass(p, x, (op, inputs) -> op.java().apply(inputs, n));
    return FloatArrays.of(y, outputShape().withBatch(n));
  }

  /** Runs every layer in graph order on values of type {@code T}, feeding each its named inputs. */
  private <T> T pass(Plan p, T input, java.util.function.BiFunction<BoundLayer, List<T>, T> run) {
    Map<String, T> values = new HashMap<>();
    values.put(ModelSpec.INPUT, input);
    List<InferredModel.Layer> layers = model.nodes();
    for (int i = 0; i < layers.size(); i++) {
      InferredModel.Layer layer = layers.get(i);
      List<T> inputs = new ArrayList<>(layer.node().inputs().size());
      for (String in : layer.node().inputs()) {
        inputs.add(values.get(in));
      }
      values.put(layer.name(), run.apply(p.ops().get(i), inputs));
    }
    return values.get(model.spec().output());
  }

  private void checkInput(INDArray batch) {
    long[] actual = batch.shape();
    int[] sample = inputShape().toArray();
    boolean ok = actual.length == sample.length + 1;
    for (int i = 0; ok && i < sample.length; i++) {
      ok = actual[i + 1] == sample[i];
    }
    if (!batch.dataType().isFPType()) {
      throw new InputShapeException(name() + ": input must be floating point, got " + batch.dataType());
    }
    if (!ok) {
      StringBuilder msg = new StringBuilder(name()).append(": expected input [N,")
          .append(inputShape().toString().substring(1)).append(" (a batch of ").append(inputShape())
          .append(") but got ").append(Arrays.toString(actual).replace(" ", ""));
      if (sample.length == 3 && actual.length == 4 && actual[1] == sample[2] && actual[3] == sample[0]
          && actual[2] == sample[1]) {
        msg.append("; this looks like channels-last data for a channels-first model: permute it to NCHW");
      } else if (sample.length == 3 && actual.length == 4 && actual[3] == sample[2] && actual[1] == sample[0]) {
        msg.append("; this looks like channels-first data for a channels-last model: permute it to NHWC");
      }
      throw new InputShapeException(msg.toString());
    }
  }

  // ---------------------------------------------------------------- weights

  /**
   * Replaces all parameters with tensors from {@code source}, converting layouts. Either every
   * tensor fits and all are replaced, or {@link dev.sequent.runtime.weights.WeightMismatchException}
   * lists every problem and nothing changes.
   */
  public Network loadWeights(WeightSource source) {
    plan = bind(WeightMapping.map(model, source));
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
   *       {@code save_weights("x.h5")} writes it.
   * </ul>
   *
   * Keras files are written in channels-last Keras layouts for the Keras twin of this model
   * ({@link KerasTwin}; see {@link dev.sequent.runtime.io.keras.KerasWeightsWriter} for what
   * differs from Keras' own files). The file is replaced atomically; on failure the previous file
   * is left as it was.
   *
   * @throws java.io.IOException naming the file (and the layer, where one is at fault)
   * @throws UnsupportedOperationException for other extensions ({@code .keras} included: an
   *     archive also needs the architecture)
   */
  public Network saveWeights(Path file) throws java.io.IOException {
    return saveWeights(file, WeightProgress.NONE);
  }

  /** As {@link #saveWeights(Path)}, telling {@code progress} of each tensor written. */
  public Network saveWeights(Path file, WeightProgress progress) throws java.io.IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    Optional<KerasWeightsWriter.Layout> keras = KerasWeightsWriter.Layout.of(file);
    if (keras.isPresent()) {
      Optional<String> config = keras.get() == KerasWeightsWriter.Layout.LEGACY_H5
          ? kerasH5Architecture().modelConfig() : Optional.empty();
      KerasWeightsWriter.write(kerasWeights(), file, keras.get(), config, progress);
      return this;
    }
    if (!(name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".safetensors"))) {
      throw new UnsupportedOperationException("cannot save " + file + ": Sequent writes PyTorch .pt, .pth and "
          + ".safetensors, and Keras .weights.h5 (Keras 3 weights) and .h5 / .hdf5 (a whole model, or the Keras 2 "
          + "weights layout)");
    }
    Map<String, dev.sequent.runtime.io.NamedTensor> tensors = new LinkedHashMap<>();
    for (NamedParam np : ParameterNames.of(model)) {
      INDArray value = toFramework(np, storedParam(np), Framework.TORCH);
      tensors.put(np.torchName(), new dev.sequent.runtime.io.NamedTensor(np.torchName(), value.shape(),
          FloatArrays.copyOf(value)));
      if (np.spec().torchName().equals("running_var")) {
        String counter = np.torchName().substring(0, np.torchName().length() - "running_var".length())
            + "num_batches_tracked";
        tensors.put(counter, new dev.sequent.runtime.io.NamedTensor(counter, new long[0], new float[] {0f}));
      }
    }
    if (name.endsWith(".safetensors")) {
      dev.sequent.runtime.io.safetensors.Safetensors.write(tensors, file, progress);
    } else {
      dev.sequent.runtime.io.torch.TorchWriter.writeStateDict(tensors, file, progress);
    }
    return this;
  }

  /**
   * What a Keras {@code .h5} written by {@link #saveWeights} carries besides the weights: the
   * tf_keras-form {@code model_config} ({@link Keras2Config}) of this model's Keras twin
   * ({@link KerasTwin}: channels-last, Keras classes, BatchNorm eps 1e-3, the model the exported
   * weights belong to), or why there is none and the file holds weights only.
   */
  public KerasH5Architecture kerasH5Architecture() {
    Optional<String> why = KerasTwin.whyNone(model);
    if (why.isPresent()) {
      return KerasH5Architecture.weightsOnly(why.get());
    }
    try {
      return KerasH5Architecture.of(Keras2Config.toJson(KerasTwin.of(model)));
    } catch (IllegalStateException | IllegalArgumentException e) {
      // A twin that does not fit the exported weights is Sequent's bug; the weights are still good.
      LOG.warn("{}: no Keras architecture written, weights only: {}", name(), e.getMessage());
      return KerasH5Architecture.weightsOnly("Sequent could not describe its Keras equivalent (" + e.getMessage()
          + "); please report this");
    }
  }

  /** Every layer's weights as {@link #getWeights()} gives them, with their Keras names. */
  private List<KerasWeightsWriter.LayerWeights> kerasWeights() {
    Map<String, List<KerasWeightsWriter.Weight>> byLayer = new LinkedHashMap<>();
    forEachParam((np, value) -> {
      INDArray keras = toFramework(np, value, Framework.KERAS);
      byLayer.computeIfAbsent(np.layer(), k -> new ArrayList<>()).add(new KerasWeightsWriter.Weight(
          np.keras2Name(), np.keras3Name(), keras.shape(), FloatArrays.copyOf(keras)));
    });
    List<KerasWeightsWriter.LayerWeights> layers = new ArrayList<>();
    byLayer.forEach((layer, weights) -> layers.add(new KerasWeightsWriter.LayerWeights(layer, weights)));
    return layers;
  }

  private INDArray storedParam(NamedParam np) {
    InferredModel.Layer layer = model.layer(np.layer());
    return plan.params().get(np.layer()).get(layer.params().indexOf(np.spec()));
  }

  /**
   * A PyTorch-style state_dict: names as PyTorch would give them, PyTorch layouts, buffers
   * included, converted for the equivalent PyTorch model (flatten order, BatchNorm eps 1e-5).
   */
  public Map<String, INDArray> stateDict() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    forEachParam((np, value) -> out.put(np.torchName(), toFramework(np, value, Framework.TORCH)));
    return out;
  }

  /** Loads a PyTorch-style state_dict (strict: every key must match a parameter, and vice versa). */
  public Network loadStateDict(Map<String, INDArray> stateDict) {
    List<WeightSource.Tensor> tensors = new ArrayList<>();
    stateDict.forEach((k, v) -> tensors.add(new WeightSource.Tensor(k, v)));
    return loadWeights(new WeightSource("state_dict", Framework.TORCH, tensors, List.of(), List.of()));
  }

  /** Trainable parameters under PyTorch names, as {@code model.named_parameters()} lists them. */
  public Map<String, INDArray> namedParameters() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    forEachParam((np, value) -> {
      if (np.spec().trainable()) {
        out.put(np.torchName(), toFramework(np, value, Framework.TORCH));
      }
    });
    return out;
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
    List<INDArray> out = new ArrayList<>();
    forEachParam((np, value) -> out.add(toFramework(np, value, Framework.KERAS)));
    return out;
  }

  /** Sets all weights from a Keras-order, Keras-layout list, as {@code model.set_weights()}. */
  public Network setWeights(List<INDArray> weights) {
    List<NamedParam> names = ParameterNames.of(model);
    List<WeightSource.Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      tensors.add(new WeightSource.Tensor(i < names.size() ? names.get(i).keras2Name() : "weights[" + i + "]",
          weights.get(i)));
    }
    return loadWeights(new WeightSource("set_weights", Framework.KERAS, tensors, List.of(), List.of()));
  }

  private interface ParamVisitor {
    void visit(NamedParam param, INDArray stored);
  }

  private void forEachParam(ParamVisitor visitor) {
    Plan p = plan;
    Map<String, Integer> index = new HashMap<>();
    for (NamedParam np : ParameterNames.of(model)) {
      int i = index.merge(np.layer(), 1, Integer::sum) - 1;
      visitor.visit(np, p.params().get(np.layer()).get(i));
    }
  }

  private INDArray toFramework(NamedParam np, INDArray stored, Framework target) {
    return WeightMapping.export(model, np, stored, target);
  }

  // ---------------------------------------------------------------- binding

  private Plan bind(Map<String, List<INDArray>> params) {
    List<BoundLayer> ops = new ArrayList<>(model.nodes().size());
    for (InferredModel.Layer layer : model.nodes()) {
      List<INDArray> values = params.get(layer.name());
      if (values == null || values.size() != layer.params().size()) {
        throw new IllegalStateException("layer " + layer.name() + " has " + (values == null ? 0 : values.size())
            + " parameter tensors, expected " + layer.params().size());
      }
      for (int i = 0; i < values.size(); i++) {
        ParamSpec spec = layer.params().get(i);
        Shape want = spec.shape(layer.spec().framework());
        if (!Arrays.equals(values.get(i).shape(), want.dims().stream().mapToLong(Integer::longValue).toArray())) {
          throw new IllegalStateException("layer " + layer.name() + " parameter " + spec.name(layer.spec().framework())
              + " expects " + want + " but got " + Arrays.toString(values.get(i).shape()));
        }
      }
      ops.add(OpRegistry.bind(layer, values, new OpContext(this::customForward)));
    }
    int javaMaxBatch = ops.stream().mapToInt(BoundLayer::javaMaxBatch).min().orElse(0);
    return new Plan(Map.copyOf(params), List.copyOf(ops), javaMaxBatch);
  }

  private synchronized CustomForward customForward(CustomLayer layer) {
    return customs.computeIfAbsent(layer.implClass(), name -> {
      try {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type = Class.forName(name, true, loader != null ? loader : Network.class.getClassLoader());
        if (!CustomForward.class.isAssignableFrom(type)) {
          throw new IllegalStateException("custom layer class " + name + " does not implement "
              + CustomForward.class.getName());
        }
        return (CustomForward) type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate custom layer class " + name
            + " (it needs a public no-argument constructor): " + e, e);
      }
    });
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
