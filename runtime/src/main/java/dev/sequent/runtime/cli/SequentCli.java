package dev.sequent.runtime.cli;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.Shape;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightFormats;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.keras.KerasArchiveFormat;
import dev.sequent.runtime.io.keras.KerasGraphOrder;
import dev.sequent.runtime.io.keras.KerasModelConfig;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import dev.sequent.runtime.weights.WeightMapping;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sequent}: the stable command-line contract of DESIGN.md section 4. Exit 0 on success;
 * on failure a one-line reason on stderr and exit 1 (2 for usage errors).
 */
@Command(name = "sequent", mixinStandardHelpOptions = true, version = "Sequent 0.1.0",
    description = "Run and inspect Keras and PyTorch models on the JVM.",
    subcommands = {SequentCli.Summary.class, SequentCli.Predict.class, SequentCli.Convert.class,
        SequentCli.Import.class})
public final class SequentCli implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SequentCli());
    for (SequentSubcommand extra : ServiceLoader.load(SequentSubcommand.class, SequentCli.class.getClassLoader())) {
      cli.addSubcommand(extra);
    }
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("sequent: " + oneLine(e));
      return 1;
    });
    cli.setExecutionStrategy(parseResult -> {
      // before anything starts ND4J or jhdf and their loggers; parsing starts neither
      if (verbose(parseResult) && System.getProperty(LogLevels.DEFAULT_LEVEL) == null) {
        System.setProperty(LogLevels.DEFAULT_LEVEL, "info");
      }
      LogLevels.setDefaults();
      return new CommandLine.RunLast().execute(parseResult);
    });
    return cli.execute(args);
  }

  private static boolean verbose(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** {@code -v}: the libraries' INFO log lines, on stderr; stdout keeps the command's result alone. */
  static final class Verbosity {
    @Option(names = {"-v", "--verbose"},
        description = "Show ND4J's and jhdf's INFO log messages (on stderr; stdout holds the result only).")
    boolean verbose;
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // Multi-line reports (every mismatched tensor) stay whole; a stack trace never reaches the user.
    return message.strip();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Options shared by the commands that open a model (also by {@link SequentSubcommand}s). */
  public static class ModelOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
        description = "A Keras .h5/.keras or PyTorch .pt/.pth file (summary --class needs none).")
    Path model;

    @Option(names = "--class", paramLabel = "FQCN",
        description = "A compiled Sequent model (the @Sequential/@Module interface or its generated ...Net class); "
            + "needed when MODEL carries no architecture (a state_dict, a weights-only .h5).")
    String modelClass;

    @Option(names = "--input-shape", paramLabel = "D,D,...", split = ",",
        description = "Sample input shape (no batch axis) for pickled PyTorch models that start with a convolution.")
    int[] inputShape;

    @Option(names = "--entry", paramLabel = "KEY",
        description = "The entry of a PyTorch checkpoint dict that holds the state_dict or model (e.g. ema, "
            + "or state.model for a nested one); needed when several entries hold state_dicts.")
    String entry;

    @Option(names = "--strip-prefix", paramLabel = "P",
        description = "Remove P from the start of every tensor name (e.g. module.). A module. on every name "
            + "(nn.DataParallel) is removed without this option when --class has no such parameters.")
    String stripPrefix;

    /** MODEL, the file given. */
    public Path modelFile() {
      return model;
    }

    /** --input-shape, when given. */
    public Optional<Shape> inputShape() {
      return Optional.ofNullable(inputShape).map(Shape::of);
    }

    /** MODEL read once, with the checkpoint options. */
    WeightFile read() {
      if (model == null) {
        throw new IllegalArgumentException("Missing required parameter: MODEL (a weight file)");
      }
      return WeightFiles.read(model, new TorchReadOptions(Optional.ofNullable(entry), Optional.ofNullable(stripPrefix)));
    }

    /**
     * MODEL as a network: the --class model with the file's weights, or the file's own
     * architecture (--input-shape, else {@code fromInput}, where the file records none).
     */
    public Network open(Shape fromInput) {
      return open(read(), fromInput, WeightProgress.NONE);
    }

    Network open(WeightFile file, Shape fromInput, WeightProgress progress) {
      if (modelClass != null) {
        return Network.create(compiledModel(modelClass), 0).withModules(compiledModules(modelClass))
            .loadWeights(file, progress);
      }
      Shape shape = inputShape != null ? Shape.of(inputShape) : fromInput;
      return Network.load(file, Optional.ofNullable(shape), progress);
    }
  }

  static InferredModel compiledModel(String fqcn) {
    ClassLoader loader = SequentCli.class.getClassLoader();
    for (String candidate : new String[] {fqcn, fqcn + "Net"}) {
      try {
        Class<?> type = Class.forName(candidate, true, loader);
        Method model = type.getMethod("model");
        if (InferredModel.class.isAssignableFrom(model.getReturnType())) {
          return (InferredModel) model.invoke(null);
        }
      } catch (ClassNotFoundException | NoSuchMethodException e) {
        // try the generated class next
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build model " + fqcn + ": " + e.getCause(), e);
      }
    }
    throw new IllegalArgumentException("no compiled Sequent model " + fqcn + " (nor " + fqcn
        + "Net) on the classpath; add your classes with SEQUENT_CLASSPATH");
  }

  /** The generated {@code modules()} of a model declared with blocks; flat for the others. */
  static ModuleTree compiledModules(String fqcn) {
    ClassLoader loader = SequentCli.class.getClassLoader();
    for (String candidate : new String[] {fqcn + "Net", fqcn}) {
      try {
        Method modules = Class.forName(candidate, true, loader).getMethod("modules");
        if (ModuleTree.class.isAssignableFrom(modules.getReturnType())) {
          return (ModuleTree) modules.invoke(null);
        }
      } catch (ClassNotFoundException | NoSuchMethodException e) {
        // no blocks in this model, or not this class: try the next
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read the modules of " + fqcn + ": " + e.getCause(), e);
      }
    }
    return ModuleTree.FLAT;
  }

  @Command(name = "summary", description = "Print the model's layers, output shapes and parameter counts.")
  static final class Summary implements Callable<Integer> {
    @CommandLine.Mixin
    ModelOptions options = new ModelOptions();

    @CommandLine.Mixin
    Verbosity verbosity = new Verbosity();

    @Option(names = "--columns", paramLabel = "N", description = "Print Keras' table as Keras does in a terminal "
        + "N columns wide (its table is then at most N - 4 wide, long cells wrapped; 80 is what Python assumes "
        + "when the output is not a terminal). Default: ${DEFAULT-VALUE}, where Keras uses its own 88 and 108.",
        defaultValue = "" + KerasSummary.WIDE_TERMINAL)
    int columns = KerasSummary.WIDE_TERMINAL;

    @Override
    public Integer call() {
      // A compiled model's summary needs no weights: `summary --class X` alone prints it.
      Network net = options.model == null && options.modelClass != null
          ? Network.create(compiledModel(options.modelClass), 0).withModules(compiledModules(options.modelClass))
          : options.open(null);
      // the text ends in a newline, as both tools print it
      System.out.print(net.summary(columns));
      return 0;
    }
  }

  @Command(name = "import", description = "Write MODEL as Sequent DSL source: DIR/<package as folders>/NAME.java, "
      + "an interface whose layers have the file's names, so NAMENet.create().loadWeights(MODEL) pairs every tensor "
      + "by name. Prints the files written.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Mixin
    ModelOptions options = new ModelOptions();

    @CommandLine.Mixin
    Verbosity verbosity = new Verbosity();

    @Option(names = "--package", required = true, paramLabel = "P", description = "The Java package of the source.")
    String packageName;

    @Option(names = "--name", required = true, paramLabel = "N", description = "The interface's name.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The source root to write under.")
    Path out;

    @Override
    public Integer call() {
      Network net = options.open(null);
      String origin = options.model == null ? options.modelClass : options.model.getFileName().toString();
      for (Path written : dev.sequent.runtime.ModelSource.write(
          dev.sequent.runtime.ModelSource.of(net, packageName, name, origin), out)) {
        System.out.println(written);
      }
      return 0;
    }
  }

  @Command(name = "convert", description = "Write the weights of MODEL for the equivalent model of another "
      + "framework, printing the mapping used: PyTorch (.pt, .pth, .safetensors) or Keras (.keras for a Keras 3 "
      + "archive, the whole model that load_model reads, refused with the reason when the model has no Keras "
      + "equivalent; .weights.h5 for Keras 3 weights; .h5/.hdf5 for a whole Keras model that load_model reads, "
      + "or, when the model has no Keras equivalent config, the Keras 2 weights layout, with the reason printed; "
      + ".pt2 for a torch.export program of the whole PyTorch equivalent, which torch.export.load(f).module() runs, "
      + "refused naming every layer Sequent cannot lower to ATen).")
  static final class Convert implements Callable<Integer> {
    @CommandLine.Mixin
    ModelOptions options = new ModelOptions();

    @CommandLine.Mixin
    Verbosity verbosity = new Verbosity();

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write; the format follows its extension.")
    Path out;

    @Option(names = "--report", paramLabel = "REPORT.json",
        description = "Also write a JSON report: each tensor's source and target names, shapes and transformation, "
            + "the Keras twin's architecture (or why there is none), and the largest output difference between the "
            + "source model and OUT read back by Sequent, on a seeded input.")
    Path report;

    @Override
    public Integer call() throws Exception {
      Optional<WeightFormat> writer = WeightFormats.writerFor(out);
      if (writer.isEmpty()) {
        throw new IllegalArgumentException("cannot write " + out + ": convert writes "
            + String.join(", ", WeightFormats.writableExtensions()));
      }
      WeightFile source = options.read();
      String format = source.format();
      Framework from = format.startsWith("keras") ? Framework.KERAS : Framework.TORCH;
      KerasWeightsWriter.Layout fromLayout = format.startsWith("keras3-weights") || format.startsWith("keras3-archive")
          ? KerasWeightsWriter.Layout.KERAS3_WEIGHTS : KerasWeightsWriter.Layout.LEGACY_H5;
      Framework to = writer.get().framework();
      boolean torch = to == Framework.TORCH;
      boolean archive = writer.get() instanceof KerasArchiveFormat;
      // the names in the file written: a .keras holds the Keras 3 weights layout
      Optional<KerasWeightsWriter.Layout> keras = archive
          ? Optional.of(KerasWeightsWriter.Layout.KERAS3_WEIGHTS) : KerasWeightsWriter.Layout.of(out);
      Network net;
      try (ConvertProgress progress = ConvertProgress.forFile(options.model, System.err)) {
        net = options.open(source, null, progress);
        progress.startWriting(4 * net.model().totalParams(), out);
        net.saveWeights(out, progress);
      }
      System.out.println("wrote " + out + " for the " + (torch ? "PyTorch" : "Keras") + " equivalent of "
          + net.name() + ":");
      ConvertReport rep = report == null ? null
          : new ConvertReport(options.model, format, out, writer.get().name(), net, from, to);
      boolean wholeKeras = archive;
      if (keras.orElse(null) == KerasWeightsWriter.Layout.LEGACY_H5) {
        String line = wholeModelOrWhyNot(net.kerasH5Architecture());
        System.out.println(line);
        wholeKeras = net.kerasH5Architecture().wholeModel();
        if (rep != null) {
          rep.written(wholeKeras, line);
        }
      }
      if (writer.get() instanceof dev.sequent.runtime.io.torch.export.ExportedProgramFormat) {
        System.out.println(PT2_WRITTEN);
      }
      if (archive) {
        System.out.println(KERAS_ARCHIVE_WRITTEN);
        if (rep != null) {
          rep.written(true, KERAS_ARCHIVE_WRITTEN);
        }
      }
      // the Keras 3 groups the file has: numbered in Keras' order of the twin's layers (KerasGraphOrder)
      Map<String, String> keras3Groups = keras.orElse(null) == KerasWeightsWriter.Layout.KERAS3_WEIGHTS
          ? net.kerasArchiveConfig().configJson().map(c -> KerasGraphOrder.keras3Groups(KerasModelConfig.parse(c)))
              .orElse(Map.of())
          : Map.of();
      for (NamedParam p : ParameterNames.of(net.model(), to)) {
        // A tensor of a layer converted as a whole (an LSTM's) has no one source tensor to name.
        String sourceName = p.spec().layout() == dev.sequent.model.ParamSpec.Layout.LAYER && from != to
            ? "layer " + p.layer() + " (" + (from == Framework.TORCH ? "PyTorch" : "Keras") + " tensors)"
            : name(p, from, fromLayout);
        String targetName = keras3Groups.isEmpty() ? name(p, to, keras.orElse(null))
            : KerasGraphOrder.regrouped(p.keras3Name(), keras3Groups.get(p.layer()));
        String transformation = WeightMapping.describeConversion(net.model(), p, from, to);
        System.out.printf("  %-34s -> %-34s %-16s %s%n", sourceName, targetName, p.spec().shape(to), transformation);
        if (rep != null) {
          rep.tensor(sourceName, targetName, p.spec().shape(from), p.spec().shape(to), transformation);
        }
      }
      if (rep != null) {
        if (!torch) {
          rep.twin(net.model());
        }
        try {
          if (wholeKeras) {
            rep.measure(net, Network.load(out), true, "the source model, and " + out.getFileName() + " read back "
                + "by Sequent as a whole Keras model (Network.load), on the input moved channels-last where the twin is");
          } else {
            rep.measure(net, Network.create(net.model(), 0).withModules(net.modules()).loadWeights(out), false,
                "the source model, and the same model with the weights of " + out.getFileName() + " loaded into it");
          }
        } catch (Exception e) { // the file is written; the report says why nothing could be compared
          rep.notMeasured(oneLine(e));
        }
        rep.write(report);
      }
      return 0;
    }

    /** The line after {@code wrote ...} for a {@code .pt2} (a model with a layer Sequent cannot lower is refused before). */
    static final String PT2_WRITTEN = "  whole model (torch.export program of the PyTorch equivalent, ATen ops, channels-first, "
        + "dynamic batch): torch.export.load(f).module() runs it";

    /** The line after {@code wrote ...} for a {@code .keras} (a model without a Keras twin is refused before). */
    static final String KERAS_ARCHIVE_WRITTEN = "  whole model (Keras 3 archive: config.json of the channels-last Keras "
        + "equivalent + model.weights.h5): keras.models.load_model reads it";

    /** The one line saying whether Keras' load_model can read the .h5 written, and if not, why. */
    static String wholeModelOrWhyNot(dev.sequent.runtime.io.keras.KerasH5Architecture architecture) {
      // a refused model never gets here: saveWeights threw with the reason
      return architecture.wholeModel()
          ? "  whole model (model_config of the channels-last Keras equivalent + weights): keras.models.load_model "
              + "and tf_keras.models.load_model read it"
          : "  weights only (no model_config; load it with model.load_weights into the Keras model you build): "
              + architecture.whyWeightsOnly().orElseThrow();
    }

    private static String name(NamedParam p, Framework framework, KerasWeightsWriter.Layout layout) {
      if (framework == Framework.TORCH) {
        return p.torchName();
      }
      return layout == KerasWeightsWriter.Layout.KERAS3_WEIGHTS ? p.keras3Name() : p.keras2Name();
    }
  }

  @Command(name = "predict", description = "Run the model on a .npy batch and write the output as .npy.")
  static final class Predict implements Callable<Integer> {
    @CommandLine.Mixin
    ModelOptions options = new ModelOptions();

    @CommandLine.Mixin
    Verbosity verbosity = new Verbosity();

    @Option(names = "--input", required = true, paramLabel = "X.npy",
        description = "float32 batch, batch axis first, in the model's layout (channels-last for Keras files); "
            + "once per input, in the model's input order, for a model with several.")
    List<Path> inputs;

    @Option(names = "--output", required = true, paramLabel = "Y.npy",
        description = "Where to write the output; once per output, in the model's output order, for a model with several.")
    List<Path> outputs;

    @Override
    public Integer call() throws Exception {
      List<INDArray> xs = new java.util.ArrayList<>();
      for (Path input : inputs) {
        xs.add(NpyFiles.read(input));
      }
      long[] shape = xs.get(0).shape();
      Shape sample = Shape.of(Arrays.stream(shape).skip(1).mapToInt(Math::toIntExact).toArray());
      Network net = options.open(sample);
      if (xs.size() != net.inputNames().size()) {
        throw new CommandLine.ParameterException(new CommandLine(this), "the model takes " + net.inputNames().size()
            + " input(s) " + net.inputNames() + ": give --input once for each, in that order (got " + xs.size() + ")");
      }
      if (outputs.size() != net.outputNames().size()) {
        throw new CommandLine.ParameterException(new CommandLine(this), "the model returns " + net.outputNames().size()
            + " output(s) " + net.outputNames() + ": give --output once for each, in that order (got "
            + outputs.size() + ")");
      }
      List<INDArray> ys = net.forward(xs);
      for (int i = 0; i < ys.size(); i++) {
        NpyFiles.write(ys.get(i), outputs.get(i));
      }
      return 0;
    }
  }
}
