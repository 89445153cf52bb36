package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import dev.sequent.model.layers.Recurrent.Cell;
import dev.sequent.model.layers.Recurrent.Merge;
import dev.sequent.model.layers.Recurrent.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Recurrent layers: Keras {@code SimpleRNN}, {@code LSTM}, {@code GRU}
 * ({@code keras/src/layers/rnn/}) and the {@code Bidirectional} wrapper around them; PyTorch
 * {@code nn.RNN}, {@code nn.LSTM}, {@code nn.GRU} ({@code torch/nn/modules/rnn.py}). See
 * {@link Recurrent}. Their tensors do not pair 1:1 across the frameworks, so the kind lists each
 * framework's own ({@link #frameworkParams}) and converts them as a whole ({@link #convertParams},
 * through {@link RecurrentWeights}).
 */
public final class RecurrentKind extends AbstractLayerKind<Recurrent> {
  public static final String KERAS_BIDIRECTIONAL = "Bidirectional";
  public static final String TORCH_PACKAGE = "torch.nn.modules.rnn.";
  /** Keras' default {@code activation} and PyTorch RNN's {@code nonlinearity}. */
  public static final String DEFAULT_ACTIVATION = "tanh";
  /** Keras' default {@code recurrent_activation}, PyTorch's fixed gate function. */
  public static final String DEFAULT_RECURRENT_ACTIVATION = "sigmoid";
  /** The Java model's choice of the PyTorch module's outputs ({@code take = ...}). */
  public static final String TAKE_OUTPUT = "output";
  public static final String TAKE_LAST_STEP = "output[:, -1]";
  public static final String TAKE_H_N = "h_n";
  /** Why {@code GRU(reset_after=False)} converts to no PyTorch GRU. */
  public static final String RESET_BEFORE = "GRU(reset_after=False) applies the reset gate before the recurrent "
      + "product; PyTorch's nn.GRU applies it after (Keras' reset_after=True), so no PyTorch GRU computes it";

  public RecurrentKind() {
    super(Recurrent.class, List.of(Cell.SIMPLE.kerasClass, Cell.LSTM.kerasClass, Cell.GRU.kerasClass,
        KERAS_BIDIRECTIONAL), List.of(TORCH_PACKAGE + "RNN", TORCH_PACKAGE + "LSTM", TORCH_PACKAGE + "GRU"));
  }

  @Override
  public String kerasClass(Recurrent r) {
    return r.bidirectional() ? KERAS_BIDIRECTIONAL : r.cell().kerasClass;
  }

  @Override
  public String torchClass(Recurrent r) {
    return r.cell().torchClass;
  }

  // ------------------------------------------------------------------------------- annotations

  @Override
  public List<AnnotationBuilder> annotations() {
    List<AnnotationBuilder> out = new ArrayList<>();
    for (Cell cell : Cell.values()) {
      out.add(new AnnotationBuilder("dev.sequent.dsl.keras." + cell.kerasClass, v -> kerasAnnotation(cell, v, false)));
      out.add(new AnnotationBuilder("dev.sequent.dsl.torch." + cell.torchClass, v -> torchAnnotation(cell, v)));
    }
    out.add(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_BIDIRECTIONAL,
        v -> kerasAnnotation(cellOf(v.string("layer"), "layer"), v, true)));
    return out;
  }

  private static Cell cellOf(String kerasClass, String attribute) {
    for (Cell c : Cell.values()) {
      if (c.kerasClass.equals(kerasClass)) {
        return c;
      }
    }
    throw new ShapeException(attribute, "Bidirectional wraps SimpleRNN, LSTM or GRU. Received: " + attribute + "=\""
        + kerasClass + "\"");
  }

  private static Recurrent kerasAnnotation(Cell cell, AnnotationValues v, boolean bidirectional) {
    Activation act = cellActivation(v.string("activation"), "activation");
    Activation rec = Activation.of(Activation.Kind.SIGMOID);
    if (cell != Cell.SIMPLE || bidirectional) {
      String recName = v.string("recurrentActivation");
      if (cell == Cell.SIMPLE && !recName.equals(DEFAULT_RECURRENT_ACTIVATION)) {
        throw new ShapeException("recurrentActivation", "a SimpleRNN has no gates. Received: recurrentActivation=\""
            + recName + "\"");
      }
      rec = cellActivation(recName, "recurrentActivation");
    }
    boolean resetAfter = false;
    if (cell == Cell.GRU || bidirectional) {
      resetAfter = v.bool("resetAfter");
      if (cell != Cell.GRU && !resetAfter) {
        throw new ShapeException("resetAfter", "reset_after is a GRU's option; the wrapped layer is a "
            + cell.kerasClass + ". Received: resetAfter=false");
      }
      resetAfter &= cell == Cell.GRU;
    }
    Merge merge = bidirectional ? merge(v.string("mergeMode"), "mergeMode") : Merge.CONCAT;
    boolean goBackwards = !bidirectional && v.bool("goBackwards");
    return new Recurrent(dev.sequent.model.Framework.KERAS, cell, v.integer("units"), 0, act, rec, v.bool("useBias"),
        resetAfter, 1, bidirectional, merge, goBackwards,
        v.bool("returnSequences") ? Output.SEQUENCE : Output.FINAL_STATE, true, false,
        !bidirectional && initialStates(cell, v), false);
  }

  private static Recurrent torchAnnotation(Cell cell, AnnotationValues v) {
    if (v.integer("projSize") != 0) {
      throw new ShapeException("projSize", "proj_size is not supported (an LSTM with projections has "
          + "weight_hr and an output of proj_size features). Received: projSize=" + v.integer("projSize"));
    }
    Activation act = cell == Cell.SIMPLE ? nonlinearity(v.string("nonlinearity"), "nonlinearity")
        : Activation.of(Activation.Kind.TANH);
    return new Recurrent(dev.sequent.model.Framework.TORCH, cell, v.integer("hiddenSize"), v.integer("inputSize"),
        act, Activation.of(Activation.Kind.SIGMOID), v.bool("bias"), cell == Cell.GRU, v.integer("numLayers"),
        v.bool("bidirectional"), Merge.CONCAT, false, take(v.string("take"), "take"), v.bool("batchFirst"), false,
        initialStates(cell, v), false);
  }

  /** Whether {@code initialState} names the layers giving the states: as many as the cell carries, or none. */
  private static boolean initialStates(Cell cell, AnnotationValues v) {
    Object names = v.map().get("initialState");
    int n = names instanceof String[] a ? a.length : 0;
    if (n != 0 && n != cell.states) {
      throw new ShapeException("initialState", cell.kerasClass + " takes " + cell.states + " initial state(s) ("
          + (cell.states == 2 ? "h, c" : "h") + "); initialState names " + n);
    }
    return n > 0;
  }

  static Output take(String take, String attribute) {
    return switch (take.replace(" ", "")) {
      case TAKE_OUTPUT -> Output.SEQUENCE;
      case "output[:,-1]" -> Output.LAST_STEP;
      case TAKE_H_N, "h_n[-1]" -> Output.FINAL_STATE;
      default -> throw new ShapeException(attribute, "take is \"output\" (the sequence), \"output[:, -1]\" (its last "
          + "step) or \"h_n\" (the last layer's final hidden state). Received: " + attribute + "=\"" + take + "\"");
    };
  }

  private static Activation nonlinearity(String name, String attribute) {
    return switch (name) {
      case "tanh" -> Activation.of(Activation.Kind.TANH);
      case "relu" -> Activation.of(Activation.Kind.RELU);
      default -> throw new ShapeException(attribute, "nonlinearity is \"tanh\" or \"relu\". Received: "
          + attribute + "=\"" + name + "\"");
    };
  }

  private static Activation cellActivation(String name, String attribute) {
    Activation a;
    try {
      a = Activation.fromKeras(name);
    } catch (ShapeException e) {
      throw new ShapeException(attribute, e.getMessage());
    }
    return checkCellActivation(a, attribute);
  }

  private static Activation checkCellActivation(Activation a, String attribute) {
    if (a.kind() == Activation.Kind.SOFTMAX) {
      throw new ShapeException(attribute, "softmax over a gate is not supported by Sequent's recurrent cells");
    }
    return a;
  }

  private static Merge merge(String mode, String attribute) {
    for (Merge m : Merge.values()) {
      if (m.keras.equals(mode)) {
        return m;
      }
    }
    throw new ShapeException(attribute, "merge_mode is concat, sum, mul or ave (None returns two tensors, which "
        + "needs a multi-output model Sequent does not declare yet). Received: " + attribute + "=" + mode);
  }

  // ----------------------------------------------------------------------------- Keras configs

  @Override
  public Recurrent fromKeras(KerasLayerInput c) {
    if (c.className().equals(KERAS_BIDIRECTIONAL)) {
      Object mode = c.get("merge_mode");
      if (mode == null) {
        throw c.unsupported("merge_mode=None returns the two directions as two tensors, which needs a multi-output "
            + "model; Sequent models have one output");
      }
      if (!(c.get("layer") instanceof Map<?, ?> inner) || !(inner.get("config") instanceof Map<?, ?> innerConfig)) {
        throw c.missing("layer", "the wrapped recurrent layer's config");
      }
      String cls = String.valueOf(inner.get("class_name"));
      Cell cell;
      try {
        cell = cellOf(cls, "layer");
      } catch (ShapeException e) {
        throw c.unsupported(e.getMessage());
      }
      if (c.get("backward_layer") instanceof Map<?, ?> back && !cls.equals(back.get("class_name"))) {
        throw c.unsupported("backward_layer is a " + back.get("class_name") + " where layer is a " + cls
            + "; Sequent runs both directions with one kind of cell");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) innerConfig;
      KerasLayerInput wrapped = new KerasLayerInput(cls, c.name(), config, c.inputCount(), c.imageFormat());
      if (wrapped.bool("go_backwards", false)) {
        throw c.unsupported("the wrapped layer has go_backwards=True (its forward direction would run backwards)");
      }
      Merge merge;
      try {
        merge = merge(String.valueOf(mode), "merge_mode");
      } catch (ShapeException e) {
        throw c.unsupported(e.getMessage());
      }
      return kerasCell(cell, wrapped, true, merge);
    }
    return kerasCell(cellOf(c.className(), "class_name"), c, false, Merge.CONCAT);
  }

  private static Recurrent kerasCell(Cell cell, KerasLayerInput c, boolean bidirectional, Merge merge) {
    if (c.bool("stateful", false)) {
      throw c.unsupported("stateful=True is not supported (Sequent's forward keeps no state between calls)");
    }
    boolean returnState = c.bool("return_state", false);
    // Keras' call(sequences, initial_state=[h(, c)]): the states are the inputs after the sequence.
    boolean initialStates = c.inputCount() > 1;
    if (bidirectional && (returnState || initialStates)) {
      throw c.unsupported("return_state and initial_state of a Bidirectional layer (two directions' states) are "
          + "not supported; they are for one-direction layers");
    }
    if (initialStates && c.inputCount() != 1 + cell.states) {
      throw c.unsupported("a " + cell.kerasClass + " takes " + cell.states + " initial state(s) (" + (cell.states == 2
          ? "h, c" : "h") + "); this call passes " + (c.inputCount() - 1));
    }
    // Keras' Bidirectional sets (and saves) its layers' zero_output_for_mask to their return_sequences.
    if (c.bool("zero_output_for_mask", false) && !(bidirectional && c.bool("return_sequences", false))) {
      throw c.unsupported("zero_output_for_mask=True is not supported for a layer of its own (Sequent outputs the "
          + "previous step's output at a masked step, Keras' default; a Bidirectional's layers take zeros)");
    }
    if (c.bool("time_major", false)) {
      throw c.unsupported("time_major=True is not supported: Sequent's batches are batch-first");
    }
    Activation act = checkCellActivation(activation(c, "activation", DEFAULT_ACTIVATION), "activation");
    Activation rec = cell == Cell.SIMPLE ? Activation.of(Activation.Kind.SIGMOID)
        : checkCellActivation(activation(c, "recurrent_activation", DEFAULT_RECURRENT_ACTIVATION),
            "recurrent_activation");
    return new Recurrent(dev.sequent.model.Framework.KERAS, cell, c.integer("units"), 0, act, rec,
        c.bool("use_bias", true), cell == Cell.GRU && c.bool("reset_after", true), 1, bidirectional, merge,
        !bidirectional && c.bool("go_backwards", false),
        c.bool("return_sequences", false) ? Output.SEQUENCE : Output.FINAL_STATE, true, returnState, initialStates,
        false);
  }

  /** Keras' {@code [output, h(, c)]} of a {@code return_state} call: h and c after the first. */
  @Override
  public List<Recurrent> kerasExtraOutputs(Recurrent r) {
    return r.stateOutputs();
  }

  private static Activation activation(KerasLayerInput c, String key, String fallback) {
    Object a = c.get(key);
    if (a == null) {
      return Activation.fromKeras(fallback);
    }
    Map<String, Object> only = new LinkedHashMap<>();
    only.put("activation", a);
    only.put("dtype", c.get("dtype"));
    try {
      return KerasJson.readActivation(only);
    } catch (ShapeException e) {
      throw c.unsupported(key + ": " + e.getMessage());
    }
  }

  @Override
  public void writeKeras(Recurrent r, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    if (!r.bidirectional()) {
      writeCell(r, dialect, c, r.goBackwards());
      return;
    }
    c.put("merge_mode", r.merge().keras);
    c.set("layer", wrapped(r, dialect, "forward_", false));
    if (dialect == KerasDialect.KERAS3) {
      // Keras 3 writes the backward copy it built; tf_keras only a backward_layer the user gave.
      c.set("backward_layer", wrapped(r, dialect, "backward_", true));
    }
  }

  private static ObjectNode wrapped(Recurrent r, KerasDialect dialect, String prefix, boolean backwards) {
    // Both dialects serialise the wrapped layer with its module (tf_keras 2.21 does, too).
    ObjectNode layer = JsonNodeFactory.instance.objectNode();
    layer.put("module", "keras.layers");
    layer.put("class_name", r.cell().kerasClass);
    ObjectNode config = layer.putObject("config");
    config.put("name", prefix + r.cell().kerasClass.toLowerCase(Locale.ROOT));
    config.put("trainable", true);
    writeCell(r, dialect, config, backwards);
    layer.putNull("registered_name");
    return layer;
  }

  private static void writeCell(Recurrent r, KerasDialect dialect, ObjectNode c, boolean backwards) {
    c.put("return_sequences", r.output() == Output.SEQUENCE);
    c.put("return_state", r.returnState());
    c.put("go_backwards", backwards);
    c.put("stateful", false);
    c.put("unroll", false);
    if (dialect == KerasDialect.TF_KERAS) {
      c.put("time_major", false);
    }
    c.put("units", r.units());
    c.put("activation", KerasJson.activation(r.activation(), dialect));
    if (r.cell() != Cell.SIMPLE) {
      c.put("recurrent_activation", KerasJson.activation(r.recurrentActivation(), dialect));
    }
    c.put("use_bias", r.useBias());
    c.set("kernel_initializer", KerasJson.initializer("GlorotUniform"));
    c.set("recurrent_initializer", KerasJson.initializer("Orthogonal"));
    c.set("bias_initializer", KerasJson.initializer("Zeros"));
    if (r.cell() == Cell.LSTM) {
      c.put("unit_forget_bias", true);
    }
    c.put("dropout", 0.0);
    c.put("recurrent_dropout", 0.0);
    if (r.cell() == Cell.GRU) {
      c.put("reset_after", r.resetAfter());
    }
    if (dialect == KerasDialect.TF_KERAS && r.cell() != Cell.SIMPLE) {
      c.put("implementation", 2);
    }
  }

  /**
   * The layer's own Keras form, and then the call: Sequent's config writers write one output per call
   * and positional inputs only, so a call with state outputs, initial states or a mask is refused
   * there (its weights convert and save all the same).
   */
  @Override
  public Optional<String> kerasUnsupported(Recurrent r) {
    Optional<String> form = kerasForm(r);
    if (form.isPresent()) {
      return form;
    }
    if (r.returnState() || r.initialStates() || r.masked()) {
      return Optional.of("Sequent does not write Keras configs of calls with "
          + (r.returnState() ? "return_state" : r.initialStates() ? "initial_state" : "a mask") + " yet");
    }
    return Optional.empty();
  }

  /** Why the layer has no Keras layer at all (what the twin and the weight conversion to Keras ask). */
  private static Optional<String> kerasForm(Recurrent r) {
    if (r.layers() > 1) {
      return Optional.of("num_layers=" + r.layers() + " is " + r.layers() + " stacked Keras layers; declare them as "
          + "separate layers for a Keras file");
    }
    if (r.output() == Output.LAST_STEP && r.bidirectional()) {
      return Optional.of("output[:, -1] of a bidirectional layer (the backward direction after one step) is no "
          + "Keras Bidirectional output; take h_n for Keras' return_sequences=False");
    }
    return Optional.empty();
  }

  // --------------------------------------------------------------------------- PyTorch modules

  @Override
  public Recurrent fromTorch(TorchModuleInput m) {
    Cell cell = switch (m.simpleName()) {
      case "RNN" -> Cell.SIMPLE;
      case "LSTM" -> Cell.LSTM;
      default -> Cell.GRU;
    };
    if (m.integer("proj_size", 0) != 0) {
      throw m.unsupported("proj_size=" + m.integer("proj_size", 0) + " is not supported (weight_hr projections)");
    }
    Activation act = Activation.of(Activation.Kind.TANH);
    if (cell == Cell.SIMPLE) {
      String nl = m.string("nonlinearity", "tanh");
      try {
        act = nonlinearity(nl, "nonlinearity");
      } catch (ShapeException e) {
        throw m.unsupported(e.getMessage());
      }
    }
    // A module file holds the module, not the code that uses its tuple: the Java model takes `output`.
    return new Recurrent(dev.sequent.model.Framework.TORCH, cell, m.integer("hidden_size"), m.integer("input_size"),
        act, Activation.of(Activation.Kind.SIGMOID), m.bool("bias", true), cell == Cell.GRU,
        m.integer("num_layers", 1), m.bool("bidirectional", false), Merge.CONCAT, false, Output.SEQUENCE,
        m.bool("batch_first", false));
  }

  /**
   * aten's {@code lstm(input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
   * batch_first)}, likewise {@code gru}, {@code rnn_tanh} and {@code rnn_relu} (an exported
   * program's call of the module): the sizes from the weights' shapes, the rest from the call.
   */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    long[] ih = shapes.get("weight_ih_l0");
    long[] hh = shapes.get("weight_hh_l0");
    Map<String, Object> a = new LinkedHashMap<>();
    if (!List.of("lstm", "gru", "rnn_tanh", "rnn_relu").contains(c.op()) || ih == null || hh == null
        || ih.length != 2 || hh.length != 2) {
      return a;
    }
    a.put("input_size", (int) ih[1]);
    a.put("hidden_size", (int) hh[1]);
    a.put("num_layers", c.arg(4, "num_layers", 1));
    a.put("bias", c.arg(3, "has_biases", true));
    a.put("bidirectional", c.arg(7, "bidirectional", false));
    a.put("batch_first", c.arg(8, "batch_first", false));
    a.put("proj_size", shapes.containsKey("weight_hr_l0") ? (int) shapes.get("weight_hr_l0")[0] : 0);
    if (c.op().startsWith("rnn_")) {
      a.put("nonlinearity", c.op().substring("rnn_".length()));
    }
    return a;
  }

  @Override
  public Optional<Shape> statedInputShape(TorchModuleInput m) {
    return Optional.empty(); // input_size is stated, the number of steps is not
  }

  @Override
  public Map<String, Object> torchAttributes(Recurrent r, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("mode", r.cell() == Cell.SIMPLE ? "RNN_" + r.activation().torchName().toUpperCase(Locale.ROOT)
        : r.cell().torchClass);
    a.put("input_size", inferred.inputShapes().get(0).last());
    a.put("hidden_size", r.units());
    a.put("num_layers", r.layers());
    a.put("bias", r.useBias());
    a.put("batch_first", r.batchFirst());
    a.put("dropout", 0.0);
    a.put("bidirectional", r.bidirectional());
    a.put("proj_size", 0);
    if (r.cell() == Cell.SIMPLE) {
      a.put("nonlinearity", r.activation().kind() == Activation.Kind.RELU ? "relu" : "tanh");
    }
    return a;
  }

  /**
   * None: the record's {@code activation} is the cell's own (candidate and cell output), inside the
   * recurrence, not a function applied to the layer's output that the PyTorch model would hold as a
   * module of its own.
   */
  @Override
  public Activation fusedActivation(Recurrent r) {
    return Activation.LINEAR;
  }

  // --------------------------------------------------------------------------------- the twin

  @Override
  public Twin kerasTwin(Recurrent r, TwinContext context) {
    Optional<String> why = kerasForm(r);
    if (why.isPresent()) {
      return Twin.none(why.get());
    }
    Output out = r.output() == Output.LAST_STEP ? Output.FINAL_STATE : r.output();
    return Twin.of(new Recurrent(dev.sequent.model.Framework.KERAS, r.cell(), r.units(), 0, r.activation(),
        r.recurrentActivation(), r.useBias(), r.resetAfter(), 1, r.bidirectional(), r.merge(), r.goBackwards(), out,
        true, r.returnState(), r.initialStates(), r.masked()));
  }

  // ------------------------------------------------------------- parameters across frameworks

  @Override
  public List<ParamSpec> frameworkParams(Recurrent r, List<Shape> inputs, Framework framework) {
    return r.params(inputs, framework);
  }

  @Override
  public List<ParamArray> convertParams(Recurrent r, List<Shape> inputs, Framework from, Framework to,
      List<ParamArray> values) {
    return RecurrentWeights.write(r, to, RecurrentWeights.read(r, from, values));
  }

  @Override
  public Optional<String> conversionRefused(Recurrent r, Framework to) {
    if (r.cell() == Cell.GRU && !r.resetAfter()) {
      return Optional.of(RESET_BEFORE);
    }
    if (to == Framework.KERAS) {
      return kerasForm(r);
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> describeConversion(Recurrent r, Framework from, Framework to) {
    String gates = r.cell() == Cell.GRU ? "gate blocks z,r,h <-> r,z,n" : "gates in the same order";
    String bias = !r.useBias() ? "no biases"
        : r.resetAfter() ? "bias rows (input, recurrent) <-> bias_ih, bias_hh"
        : to == Framework.KERAS ? "bias = bias_ih + bias_hh" : "bias_ih = bias, bias_hh = 0";
    return Optional.of((to == Framework.TORCH ? "kernels transposed" : "weights transposed") + "; " + gates + "; "
        + bias);
  }

  @Override
  public String keras3VarPath(Recurrent r, int index) {
    int perDirection = r.useBias() ? 3 : 2;
    int unit = index / perDirection;
    // Only one-layer forms are Keras layers; a stacked PyTorch layer's Keras form (never written to a
    // Keras file, see conversionRefused) gets unique paths all the same.
    String layer = r.layers() > 1 ? "layer_" + unit / r.directions() + "/" : "";
    String direction = !r.bidirectional() ? "" : unit % 2 == 0 ? "forward_layer/" : "backward_layer/";
    return layer + direction + "cell/vars/" + index % perDirection;
  }

  // -------------------------------------------------------------------------- initialisation

  /**
   * Keras: kernel GlorotUniform, recurrent kernel Orthogonal, bias zeros (an LSTM's forget gate 1,
   * {@code unit_forget_bias}); PyTorch: every tensor {@code U(-1/sqrt(H), 1/sqrt(H))}.
   */
  @Override
  public float[] initialValue(Recurrent r, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    int n = (int) p.count();
    int h = r.units();
    String name = p.kerasName();
    if (framework == Framework.TORCH || r.framework() == Framework.TORCH) {
      return Initialisation.uniform(n, 1 / Math.sqrt(h), random);
    }
    Shape s = p.shape(Framework.KERAS);
    if (name.endsWith("recurrent_kernel")) {
      return orthogonal(s.dim(0), s.dim(1), random);
    }
    if (name.endsWith("kernel")) {
      return Initialisation.uniform(n, Initialisation.glorotBound(s.dim(0), s.dim(1)), random);
    }
    float[] bias = new float[n];
    if (r.cell() == Cell.LSTM) {
      for (int i = h; i < 2 * h; i++) {
        bias[i] = 1f; // unit_forget_bias
      }
    }
    return bias;
  }

  /** Keras' Orthogonal: a (rows, cols) matrix with orthonormal rows (or columns), from a normal draw. */
  private static float[] orthogonal(int rows, int cols, Random random) {
    boolean wide = rows < cols;
    int m = wide ? cols : rows; // the long side: Gram-Schmidt over its vectors' k = short side columns
    int k = wide ? rows : cols;
    double[][] q = new double[k][m];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < m; i++) {
        q[j][i] = random.nextGaussian();
      }
      for (int prev = 0; prev < j; prev++) {
        double dot = 0;
        for (int i = 0; i < m; i++) {
          dot += q[j][i] * q[prev][i];
        }
        for (int i = 0; i < m; i++) {
          q[j][i] -= dot * q[prev][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < m; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < m; i++) {
        q[j][i] /= norm;
      }
    }
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = (float) (wide ? q[r][c] : q[c][r]);
      }
    }
    return out;
  }

  @Override
  public List<Example> examples() {
    Activation tanh = Activation.of(Activation.Kind.TANH);
    Activation sigmoid = Activation.of(Activation.Kind.SIGMOID);
    Framework k = Framework.KERAS;
    Framework t = Framework.TORCH;
    return List.of(
        new Example(new Recurrent(k, Cell.LSTM, 4, 0, tanh, sigmoid, true, false, 1, false, Merge.CONCAT, false,
            Output.FINAL_STATE, true), Shape.of(5, 3)),
        new Example(new Recurrent(k, Cell.GRU, 3, 0, Activation.of(Activation.Kind.RELU), tanh, true, true, 1,
            false, Merge.CONCAT, true, Output.SEQUENCE, true), Shape.of(5, 3)),
        new Example(new Recurrent(k, Cell.GRU, 3, 0, tanh, sigmoid, true, false, 1, false, Merge.CONCAT, false,
            Output.SEQUENCE, true), Shape.of(5, 3)),
        new Example(new Recurrent(k, Cell.SIMPLE, 2, 0, Activation.of(Activation.Kind.RELU), sigmoid, false, false, 1,
            false, Merge.CONCAT, false, Output.FINAL_STATE, true), Shape.of(5, 3)),
        new Example(new Recurrent(k, Cell.LSTM, 4, 0, tanh, sigmoid, true, false, 1, true, Merge.SUM, false,
            Output.SEQUENCE, true), Shape.of(5, 3)),
        new Example(new Recurrent(t, Cell.LSTM, 4, 3, tanh, sigmoid, true, false, 2, true, Merge.CONCAT, false,
            Output.SEQUENCE, true), Shape.of(5, 3)),
        // A module file records no take (the code after the call), so the examples that read back take "output".
        new Example(new Recurrent(t, Cell.GRU, 4, 0, tanh, sigmoid, true, true, 1, false, Merge.CONCAT, false,
            Output.SEQUENCE, false), Shape.of(5, 3)),
        new Example(new Recurrent(t, Cell.SIMPLE, 4, 3, Activation.of(Activation.Kind.RELU), sigmoid, false, false, 1,
            true, Merge.CONCAT, false, Output.SEQUENCE, true), Shape.of(5, 3)));
  }

  /**
   * Keras' RNN reads the mask ({@code call(sequences, mask=...)}); its {@code compute_mask} passes it
   * on with {@code return_sequences}, and gives the states none.
   */
  @Override
  public MaskUse kerasMaskUse(Recurrent r) {
    return r.output() == Output.SEQUENCE ? MaskUse.READS_AND_PASSES : MaskUse.READS;
  }

  @Override
  public Recurrent withMaskInput(Recurrent r) {
    return r.withMask();
  }
  /** One-direction Keras layers and PyTorch modules; a Keras {@code Bidirectional} names its cell. */
  @Override
  public Optional<SourceForm> sourceForm(Recurrent r) {
    if (r.framework() == Framework.KERAS) {
      SourceForm f = (r.bidirectional() ? SourceForm.keras(KERAS_BIDIRECTIONAL).with("layer", r.cell().kerasClass)
          : SourceForm.keras(r.cell().kerasClass)).with("units", r.units())
          .with("activation", r.activation().kerasName());
      if (r.cell() != Recurrent.Cell.SIMPLE || r.bidirectional()) {
        f = f.with("recurrentActivation", r.recurrentActivation().kerasName());
      }
      f = f.with("useBias", r.useBias()).with("returnSequences", r.output() == Recurrent.Output.SEQUENCE);
      if (r.cell() == Recurrent.Cell.GRU || r.bidirectional()) {
        f = f.with("resetAfter", r.cell() != Recurrent.Cell.GRU || r.resetAfter());
      }
      return Optional.of(r.bidirectional() ? f.with("mergeMode", r.merge().keras) : f.with("goBackwards", r.goBackwards()));
    }
    String take = switch (r.output()) {
      case SEQUENCE -> TAKE_OUTPUT;
      case LAST_STEP -> "output[:, -1]";
      default -> TAKE_H_N;
    };
    SourceForm f = SourceForm.torch(r.cell().torchClass).with("inputSize", r.declaredIn()).with("hiddenSize", r.units());
    if (r.cell() == Recurrent.Cell.SIMPLE) {
      f = f.with("nonlinearity", r.activation().kerasName());
    }
    return Optional.of(f.with("numLayers", r.layers()).with("bias", r.useBias()).with("batchFirst", r.batchFirst())
        .with("bidirectional", r.bidirectional()).with("take", take));
  }
}
