package dev.sequent.runtime;

import java.util.Locale;

/**
 * The runtime's messages, each with a stable tag (the constant's name) and the text it is
 * reported with, as the processor's {@code Message} catalogues the compile-time ones. Keeping
 * them in one place shows every refusal a user can meet, keeps their wording consistent and
 * lets a test or a tool refer to a message by its tag rather than by a phrase of its text.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>A tag never changes meaning; a message that changes meaning gets a new tag. The text may
 *       be reworded, but users and tests match on it, so rewording is a visible change.
 *   <li>{@link #format} returns exactly the text the caller throws or logs: no prefix is added,
 *       because several messages already start with the file or the model they are about.
 *   <li>Formats take {@code %s} arguments only: an argument of any type (a path, a shape, a
 *       count) prints as its {@code toString()}, for every locale, as it would in a string
 *       concatenation.
 *   <li>An entry whose tag ends in {@code _HINT} or {@code _CLAUSE} is not a message on its own
 *       but a part appended to another one, where the part applies only sometimes.
 * </ul>
 *
 * <p>Adding messages: put each under the heading of the class or package that reports it, with a
 * tag that says what went wrong (not where), and report it with {@code X.format(args)}. The
 * exception type stays the caller's choice. The enum is public so that the runtime's
 * subpackages ({@code io}, {@code arch}, {@code weights}, {@code exec}, {@code cli}) can move
 * their messages here too; it is not meant for user code.
 */
public enum RuntimeMessage {
  // ---------------------------------------------------------------- loading (NetworkLoading)

  /** Arguments: the file, its format ({@code WeightFile.format()}). */
  NO_ARCHITECTURE_IN_FILE(
      "%s holds weights only (%s), no architecture; declare the model in Java and load the file into it (--class)"),
  /**
   * Arguments: the file, {@link #INPUT_SHAPE_GIVEN_CLAUSE} or nothing, the shape problems joined
   * with {@code "; "}.
   */
  FILE_ARCHITECTURE_DOES_NOT_CHECK("%s: the architecture in the file does not check%s: %s"),
  /** Arguments: the input shape the caller gave; may be followed by {@link #TORCH_CHANNELS_FIRST_HINT}. */
  INPUT_SHAPE_GIVEN_CLAUSE(" with the input shape %s given for it"),
  /** After {@link #INPUT_SHAPE_GIVEN_CLAUSE}, for a rank-3 shape given to a PyTorch model. */
  TORCH_CHANNELS_FIRST_HINT(" (PyTorch models take channels-first input: N,C,H,W)"),
  /** Arguments: the parser's message. */
  NOT_A_KERAS_MODEL_CONFIG("not a Keras model config: %s"),
  /** Arguments: the shape problems joined with {@code "; "}. */
  KERAS_CONFIG_DOES_NOT_CHECK("the Keras config does not check: %s"),
  /** Arguments: the JVM's message. The file name is added by {@code WeightFileException}. */
  FILE_CHANGED_AFTER_OPENING("the file changed or became unreadable after it was opened: %s"),
  /** Logged. Arguments: the file, the prefix, the model's name. */
  DATA_PARALLEL_PREFIX_DROPPED("%s: every tensor name starts with \"%s\" (saved from nn.DataParallel?) and %s has "
      + "no such parameter; reading the names without it"),

  // ---------------------------------------------------------------- binding (PlanBinder)

  /** Arguments: the layer, the tensors given, the tensors it has. */
  PARAMETER_COUNT("layer %s has %s parameter tensors, expected %s"),
  /** Arguments: the layer, the parameter, the shape it has, the shape given. */
  PARAMETER_SHAPE("layer %s parameter %s expects %s but got %s"),
  /** Arguments: the class name, {@link CustomForward}'s name. */
  CUSTOM_LAYER_NOT_A_CUSTOM_FORWARD("custom layer class %s does not implement %s"),
  /** Arguments: the class name, the reflection error. */
  CUSTOM_LAYER_NOT_INSTANTIABLE(
      "cannot instantiate custom layer class %s (it needs a public no-argument constructor): %s"),

  // ---------------------------------------------------------------- forward (ExecutionPlan)

  /** Arguments: the model, the batch's data type. */
  INPUT_NOT_FLOATING_POINT("%s: input must be floating point, got %s"),
  /** Arguments: the model, the batch's data type. */
  INPUT_NOT_NUMERIC("%s: input must be integer ids or floating point, got %s"),
  /**
   * Arguments: the model, the sample dimensions joined with {@code ","}, the sample shape, the
   * batch's shape; may be followed by one of the two layout hints.
   */
  INPUT_SHAPE("%s: expected input [N,%s] (a batch of %s) but got %s"),
  /** Arguments: the model, the layer (or output tensors) whose inputs no other layer produces. */
  KERAS_GRAPH_UNRESOLVED("Keras model %s: %s is called on tensors no layer of the model produces"),
  /** Arguments: the model, the number of inputs it takes, their names, the number given. */
  INPUT_COUNT("%s: the model takes %s inputs (%s) but was given %s"),
  /** Arguments: the model, the input count, the output count. */
  SINGLE_TENSOR_FORWARD_ON_GRAPH("%s: the model takes %s input(s) and returns %s output(s); use forward(List) "
      + "or forward(Map), which take and return one tensor per input and output"),
  /** Arguments: the model, the input names given, the model's input names. */
  INPUT_NAMES("%s: inputs given for %s but the model's inputs are %s"),
  /** Arguments: the model, the first input's batch size, the input, its batch size. */
  INPUT_BATCH_SIZES("%s: every input needs the same batch size; the first has %s samples but %s has %s"),
  /** After {@link #INPUT_SHAPE}, when the batch is a channels-first model's image in NHWC. */
  CHANNELS_LAST_INPUT_HINT("; this looks like channels-last data for a channels-first model: permute it to NCHW"),
  /** After {@link #INPUT_SHAPE}, when the batch is a channels-last model's image in NCHW. */
  CHANNELS_FIRST_INPUT_HINT("; this looks like channels-first data for a channels-last model: permute it to NHWC"),

  // ---------------------------------------------------------------- weight mapping (weights)

  /** Arguments: the source, the model, the problem count, "" or "s", the problems joined by newlines. */
  WEIGHTS_DO_NOT_FIT("%s does not fit model %s (%s problem%s):\n  %s"),
  /** One problem. Arguments: the parameter ({@code layer l weight (0.weight)}), its shape, the tensor, its shape. */
  TENSOR_MIS_SHAPED("mis-shaped: %s expects %s but %s is %s"),
  /** One problem. Arguments: the tensor, its shape. */
  TENSOR_UNEXPECTED("unexpected: %s %s matches no parameter of the model"),
  /** One problem. Arguments: the parameter, its shape. */
  TENSOR_MISSING("missing: %s %s has no tensor in the source"),
  /** One problem, or a refused export. Arguments: the layer, its type, the target framework, the kind's reason. */
  LAYER_NOT_CONVERTIBLE("layer %s (%s) cannot be converted to %s: %s"),

  // ---------------------------------------------------------------- execution (exec)

  /** Arguments: the layer, its record class, the registered record types. */
  NO_OP_FOR_LAYER("no runtime op for layer %s of type %s (registered: %s)"),
  /**
   * An embedding's input is not an id of its table. Arguments: the layer, the value, the sample,
   * the step, the table size.
   */
  EMBEDDING_ID_OUT_OF_RANGE("layer %s: input %s (sample %s, step %s) is not an id in [0, %s): ids must be "
      + "integers below the vocabulary size"),

  // ------------------------------------------- formats (io.WeightFormats, io.FileHead, the io.*.*Format classes)

  /**
   * Reading. The file name is added by {@code WeightFileException}, as for every message of this
   * heading up to {@link #UNSUPPORTED_SAVE_EXTENSION}.
   */
  NO_SUCH_FILE("no such file"),
  NOT_A_REGULAR_FILE("not a regular file"),
  /** Arguments: the I/O error's message. */
  FILE_UNREADABLE("cannot read: %s"),
  /** Arguments: {@link #EMPTY_FILE_CLAUSE} or nothing. */
  UNRECOGNISED_WEIGHT_FILE("not a Keras (HDF5, .keras) or PyTorch (.pt zip or pickle) file%s"),
  /** After {@link #UNRECOGNISED_WEIGHT_FILE}, for a file of no bytes. */
  EMPTY_FILE_CLAUSE(": the file is empty"),
  /** Read options other than the defaults given for a Keras file. */
  KERAS_TAKES_NO_TORCH_OPTIONS("a Keras file: the checkpoint entry and prefix options apply to PyTorch files only"),
  /** Arguments: the entry asked for. */
  SAFETENSORS_HAS_NO_ENTRY("a safetensors file holds one flat set of tensors, it has no entry \"%s\""),
  /** Thrown as an {@code UnsupportedOperationException}. Arguments: the file. */
  UNSUPPORTED_SAVE_EXTENSION("cannot save %s: Sequent writes PyTorch .pt, .pth and .safetensors, and Keras "
      + ".keras (a Keras 3 archive: the whole model), .weights.h5 (Keras 3 weights) and .h5 / .hdf5 (a whole "
      + "model, or the Keras 2 weights layout)"),
  /**
   * A whole-model {@code .h5} whose config does not fit (thrown as UnsupportedOperationException by
   * {@code KerasHdf5Format}). Arguments: the file, the size and the alternative.
   */
  KERAS_H5_CONFIG_TOO_LONG("cannot save %s as a whole Keras model: %s"),

  /**
   * Thrown as an {@code UnsupportedOperationException}. Arguments: the file, why the model has no
   * Keras twin ({@code KerasTwin.whyNone}).
   */
  KERAS_ARCHIVE_WITHOUT_CONFIG("cannot save %s: a .keras archive is a whole Keras model, and this model has no "
      + "Keras equivalent for its config.json: %s. Save .weights.h5 (Keras 3) or .h5 (Keras 2 layout) for the "
      + "weights alone, to load with model.load_weights into the Keras model you build"),

  // ------------------------------ architectures (io.keras.KerasConfigArchitecture, io.torch.TorchModuleArchitecture)

  // All thrown as UnsupportedArchitectureException.
  /** Arguments: the model's name in the config. */
  KERAS_CONFIG_WITHOUT_INPUT_SHAPE(
      "the Keras config of %s states no fixed input shape (build the model before saving)"),
  /** No layer kind reads the class. Arguments: the layer, its class as the file names it. */
  LAYER_TYPE_NOT_SUPPORTED("layer %s (%s): this layer type is not supported"),
  /** A Keras 3 operation node (x + 3.0) in a Functional config. Arguments: the node, its class, its module. */
  KERAS_OPERATION_NOT_SUPPORTED("layer %s (%s from %s) is a Keras operation applied in the model's code (such as "
      + "x + 3.0), not a layer; Sequent runs arithmetic between a tensor and a number (Add, Subtract, Multiply, "
      + "TrueDivide) and refuses the model rather than skip any other operation"),
  /** Arguments: the layer, its class, the layer whose mask reaches it. */
  KERAS_MASK_REFUSED("layer %s (%s) gets the mask of %s, which Keras would read or combine there; Sequent does not "
      + "compute that, and refuses the model rather than ignore the mask"),
  /** Arguments: the layer, its class, the tensors it is called on. */
  KERAS_MASK_SEVERAL_INPUTS("layer %s (%s) is called on several tensors (%s), one of them masked; Sequent follows "
      + "masks only into calls on one tensor, and refuses the model rather than guess where Keras takes the mask"),
  /** The layer's kind refused its options. Arguments: the layer, its class, the shape error. */
  LAYER_DOES_NOT_CHECK("layer %s (%s): %s"),
  /** Arguments: the root module's class. */
  TORCH_MODEL_NOT_SEQUENTIAL("the model in the file is a %s, not an nn.Sequential; Sequent builds architectures "
      + "from pickled nn.Sequential models only. Save it with torch.export.save (a .pt2 program Sequent reads "
      + "whole), or declare the model in Java and load its state_dict"),
  TORCH_SEQUENTIAL_EMPTY("the nn.Sequential in the file is empty"),
  /** Arguments: the first module's simple class name. */
  TORCH_INPUT_SIZE_NOT_RECORDED("the model starts with %s, whose input size a pickle does not record; give the "
      + "input shape (e.g. --input-shape 1,28,28)"),

  // ---------------------------------------------------------------- torch.export archives (io.torch.export)

  /**
   * Writing a {@code .pt2} (io.torch.export.write), thrown as UnsupportedOperationException.
   * Arguments: the model's name, every layer with no ATen form and why.
   */
  EXPORT_WRITE_REFUSED("cannot write %s as a torch.export program: %s. Nothing was written; .pt writes its "
      + "weights as a state_dict"),
  /** Arguments: the entry asked for. */
  EXPORT_NO_ENTRIES("a torch.export archive holds one program, it has no entry \"%s\""),
  EXPORT_NOT_A_PT2_ARCHIVE("not a torch.export archive: no archive_format record saying pt2"),
  /** Arguments: the version found (major.minor), the PyTorch that wrote it, the major Sequent reads. */
  EXPORT_SCHEMA_VERSION("the exported program has schema version %s (written by PyTorch %s); Sequent reads schema "
      + "version %s.x (torch/_export/serde/schema.py SCHEMA_VERSION). Re-export it with a PyTorch whose schema major "
      + "matches, or report the new version"),
  /** Arguments: the model's name in the archive, what is wrong. */
  EXPORT_MALFORMED_PROGRAM("models/%s.json is not a serialized ExportedProgram Sequent can read: %s"),
  /** Arguments: the error. */
  EXPORT_UNREADABLE("cannot read the torch.export archive: %s"),
  /** Arguments: the program names. */
  EXPORT_MODELS("the archive holds several programs %s and none named \"model\"; Sequent reads one"),
  /** Arguments: the record's path in the archive. */
  EXPORT_RECORD_MISSING("the archive has no record %s"),
  /** Arguments: the tensor's state_dict name. */
  EXPORT_SYMBOLIC_TENSOR("tensor %s has symbolic sizes or strides in the archive's weights config"),
  /** Arguments: the tensor's state_dict name. */
  EXPORT_TENSOR_NOT_PLAIN("%s is not a plain tensor in the archive (a pickled tensor subclass or a custom object)"),
  /** Arguments: the placeholder, its input spec's kind. */
  EXPORT_INPUT_KIND("input %s is a %s, which Sequent does not run"),
  /** Arguments: the node, its op, why. */
  EXPORT_NODE_REFUSED("node %s (%s): %s"),
  /** Arguments: the output's name, what it is. */
  EXPORT_OUTPUT_NOT_COMPUTED("output %s is %s, not a tensor the network computes"),
  /** Arguments: the ops, each with its node count and first nodes. */
  EXPORT_OPS_NOT_SUPPORTED("ATen ops Sequent does not run: %s"),
  /** Arguments: the refusals joined with "; ". */
  EXPORT_CONSTRUCTS_NOT_SUPPORTED("constructs Sequent does not run: %s"),
  /** Arguments: the PyTorch that wrote the program, the parts (ops, constructs). */
  EXPORT_PROGRAM_REFUSED("Sequent cannot build this torch.export program (written by PyTorch %s): %s"),
  EXPORT_ATTENTION_NOT_SELF("attention whose key or value is not its query (cross-attention) is not lowered yet"),
  EXPORT_ATTENTION_MASK("attention with a mask is not lowered yet"),
  /** Arguments: the root module's class, the parts (ops, constructs). */
  TORCHSCRIPT_REFUSED("Sequent cannot build the TorchScript module %s (its forward and its submodules' read as "
      + "one graph of ATen calls): %s"),
  /** Arguments: the ops, each with its call count and first places (file:line in the archive). */
  TORCHSCRIPT_OPS_NOT_SUPPORTED("ops Sequent does not run: %s"),
  /** Arguments: what, where (file:line in the archive). */
  TORCHSCRIPT_CONSTRUCT("%s (%s)"),
  /** Arguments: the op, why its argument cannot be used, where. */
  TORCHSCRIPT_ARGUMENT("%s reads %s (%s)"),
  /** Arguments: the op, the error, where. */
  TORCHSCRIPT_SIZES("%s: its output sizes cannot be worked out from its arguments (%s) (%s)"),
  /** Arguments: the constant's name. */
  TORCHSCRIPT_CONSTANT_TENSOR("the constant tensor CONSTANTS.%s of the archive (a tensor the traced code made, "
      + "which Sequent has no layer for yet)"),
  /** Arguments: what the output is. */
  TORCHSCRIPT_OUTPUT("the forward returns %s, not a tensor the network computes"),
  /** Arguments: the root module's class. */
  TORCHSCRIPT_NO_FORWARD("the TorchScript module %s has no forward in its code/"),
  /** Arguments: the forward's parameters. */
  TORCHSCRIPT_INPUTS("the TorchScript module's forward takes %s; Sequent builds TorchScript modules of one input"),
  /** Arguments: the root module's class. */
  TORCHSCRIPT_INPUT_SHAPE("the TorchScript module %s does not record its input's shape; give it (--input-shape, "
      + "or the input .npy's shape)"),
  /** Arguments: the input. */
  EXPORT_SCALAR_INPUT("input %s is a scalar; Sequent's inputs have a batch axis"),
  /** Arguments: the input, its dynamic dimensions. */
  EXPORT_DYNAMIC_SAMPLE_SIZE("input %s has dynamic sizes besides the batch axis: %s; give the input shape "
      + "(--input-shape), or export with those sizes static"),
  /** Arguments: the value. */
  EXPORT_NO_TENSOR_META("the program records no tensor meta for %s"),
  /** Arguments: the argument's name, what it is. */
  EXPORT_NOT_A_COMPUTED_TENSOR("argument %s is %s, where Sequent needs a tensor the network computes (a constant or "
      + "parameter operand has no layer yet)"),
  /** Arguments: the argument's name, what it is. */
  EXPORT_NOT_A_PARAMETER("argument %s is %s, where Sequent needs a tensor of the state_dict"),
  /** Arguments: the module's simple class name. */
  EXPORT_NO_LAYER_FOR_MODULE("it computes a %s, for which Sequent has no layer"),
  /** Arguments: the parameters' state_dict names. */
  EXPORT_PARAMS_OF_SEVERAL_MODULES("its parameters %s belong to different modules; Sequent pairs a layer's parameters "
      + "by their module path"),
  /** Arguments: the module path. */
  EXPORT_MODULE_REUSED_DIFFERENTLY("module %s is called again with other arguments than its first call"),
  /** Arguments: the op. */
  EXPORT_SECOND_OUTPUT("uses an output of %s that Sequent does not compute"),
  /** Arguments: the node, the size. */
  EXPORT_DYNAMIC_SIZE("the tensor of %s has a dynamic sample size %s"),
  /** Arguments: the input's sizes, the output's. */
  EXPORT_BATCH_AXIS_MOVED("it does not keep the batch axis first (%s to %s); Sequent's layers compute per sample"),
  /** Arguments: the module path, the local names used, the layer's type, the names it declares. */
  EXPORT_PARAM_NAMES("module %s passes tensors %s, but a %s has %s"),
  EXPORT_TRAINING_MODE("it runs in training mode; export the model after model.eval()"),
  /** Arguments: the scale. */
  EXPORT_SCALED_OPERAND("it scales an operand (%s), which Sequent does not do yet"),
  /** Arguments: the argument, what it is. */
  EXPORT_MATMUL_OPERAND("a matrix product whose %s is %s; Sequent runs products with a transposed 2-D parameter "
      + "(a Linear)"),
  /** Arguments: the op. */
  EXPORT_CONSTANT_TENSOR("%s makes a constant tensor other than zeros, which Sequent does not do"),
  /** Arguments: the parameter. */
  EXPORT_PARAM_REARRANGED("it rearranges parameter %s other than transposing a 2-D weight"),
  /** Arguments: the axes, the input's sizes. */
  EXPORT_MEAN_AXES("a mean over axes %s of a tensor of sizes %s; Sequent runs the mean over an image's two spatial "
      + "axes (global average pooling) and over one axis of a (batch, a, b) sequence"),
  /** Arguments: the op, the sizes of its input. */
  EXPORT_SLICES_BATCH("it takes part of the batch axis (%s of a tensor of sizes %s); Sequent's layers compute per "
      + "sample"),
  /** Arguments: the argument, its value. */
  EXPORT_SLICE_BOUND("argument %s is %s, where Sequent needs a number (a slice bound that is a symbolic size is not "
      + "read)"),
  /** Arguments: the output, its sizes, the input's sizes. */
  EXPORT_PIECE_SHAPE("piece %s of sizes %s does not cut the tensor of sizes %s along one axis"),
  /** Arguments: the tensor's name. */
  EXPORT_TOP_LEVEL_TENSOR("it computes with the tensor %s of the top-level module, which Sequent cannot name as a "
      + "layer's tensor (a layer's state_dict names are <module path>.<name>; hold it in a submodule)"),
  /** Arguments: the tensor's state_dict name, its module path. */
  EXPORT_HELD_TENSOR_PATH_TAKEN("it computes with the tensor %s, but module %s already names another layer of the "
      + "model (Sequent names a layer's tensors <module path>.<name>, one layer per module path; hold the tensor in a "
      + "module of its own)"),
  /** Arguments: the module call, why. */
  EXPORT_WHOLE_MODULE_REFUSED("%s is not read as the module (%s), and its ops are not read one by one either"),
  /** Arguments: the module, what its call does. */
  EXPORT_MODULE_CALL_FORM("the call of %s %s"),
  /** Arguments: the argument, what it is. */
  EXPORT_ATTENTION_ARGUMENT("argument %s is %s; Sequent runs scaled_dot_product_attention without dropout, grouped "
      + "query attention or a boolean or constant mask (a float mask the network computes is added)"),
  /** Arguments: min, max. */
  EXPORT_CLAMP("a clamp to [%s, %s], whose bounds Sequent needs as numbers"),
  /** Arguments: the argument, what it is. */
  EXPORT_NOT_A_NUMBER("argument %s is %s, where Sequent needs a number (a division of two tensors has no layer yet)"),
  /** Arguments: what the state is. */
  EXPORT_RECURRENT_STATE("its initial state is %s; Sequent starts recurrent layers from zeros"),
  EXPORT_RECURRENT_TIME_MAJOR("batch_first=False: the input's axis 0 is time, not the batch; Sequent's recurrent "
      + "models take batch_first inputs"),
  /** Arguments: the module. */
  EXPORT_RECURRENT_FINAL_STATE("uses the final state (h_n, c_n) of an %s, which Sequent does not output yet (take "
      + "out[:, -1])"),

  // ---------------------------------------------------------------- saving (WeightSaving)

  /** Logged. Arguments: the model, the error. */
  KERAS_TWIN_NOT_WRITTEN("%s: no Keras architecture written, weights only: %s"),
  /**
   * Why an {@code .h5} holds weights only ({@code KerasH5Architecture.whyWeightsOnly()}), or a
   * {@code .keras} is refused ({@code KerasArchiveConfig.whyNone()}). Arguments: the error.
   */
  KERAS_TWIN_FAILED("Sequent could not describe its Keras equivalent (%s); please report this");

  private final String format;

  RuntimeMessage(String format) {
    this.format = format;
  }

  /** The stable tag: the constant's name. */
  public String tag() {
    return name();
  }

  /** The message with its {@code %s} arguments filled in, exactly as it is reported. */
  public String format(Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
