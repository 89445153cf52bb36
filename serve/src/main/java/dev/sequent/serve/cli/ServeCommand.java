package dev.sequent.serve.cli;

import dev.sequent.runtime.Network;
import dev.sequent.runtime.cli.SequentCli;
import dev.sequent.runtime.cli.SequentSubcommand;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.serve.BatchingPredictor;
import dev.sequent.serve.http.InferenceServer;
import dev.sequent.serve.http.ServedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sequent serve}: the model server ({@link InferenceServer}) on the command line. Found
 * by {@link SequentCli} through {@link java.util.ServiceLoader}, so the runtime, which holds the
 * CLI, does not depend on this module.
 *
 * <p>Prints one line on stdout once it listens (the models and the address), then serves until
 * the process is stopped; on SIGTERM or Ctrl-C a shutdown hook drains it ({@link
 * InferenceServer#shutdown}) within {@code --drain-timeout-s}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve MODEL (and more with --model) over HTTP: the Open Inference "
    + "Protocol (KServe v2 / Triton: /v2/models/NAME/infer, JSON or binary tensors), TF Serving's "
    + "/v1/models/NAME:predict, Prometheus /metrics; concurrent requests are batched dynamically.")
public final class ServeCommand implements Callable<Integer>, SequentSubcommand {
  @CommandLine.Mixin
  SequentCli.ModelOptions options = new SequentCli.ModelOptions();

  @Spec
  CommandSpec spec;

  @Option(names = "--name", paramLabel = "NAME",
      description = "MODEL's name in URLs (default: the model's name, the file name without extensions).")
  String name;

  @Option(names = "--model", paramLabel = "NAME=PATH",
      description = "Another model to serve, from a file that carries its architecture (Keras .h5/.keras, "
          + "whole pickled or TorchScript PyTorch; --input-shape applies where the file records none). Repeatable.")
  List<String> moreModels = new ArrayList<>();

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
  String host;

  @Option(names = "--port", paramLabel = "P", defaultValue = "8000",
      description = "The port (default: ${DEFAULT-VALUE}, Triton's HTTP port; 0: any free port).")
  int port;

  @Option(names = "--max-batch", paramLabel = "N", defaultValue = "32",
      description = "The most samples merged into one forward pass (default: ${DEFAULT-VALUE}; 1: no batching).")
  int maxBatch;

  @Option(names = "--max-delay-ms", paramLabel = "D", defaultValue = "0",
      description = "How long the oldest request may wait for a batch to fill (default: ${DEFAULT-VALUE}: batch "
          + "what is queued when a worker is free, as Triton's default).")
  double maxDelayMs;

  @Option(names = "--queue-capacity", paramLabel = "Q", defaultValue = "1024",
      description = "The most requests waiting per model; more get 503 (default: ${DEFAULT-VALUE}).")
  int queueCapacity;

  @Option(names = "--instances", paramLabel = "I", defaultValue = "1",
      description = "Batches run at once per model, each on its own thread (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--timeout-ms", paramLabel = "T",
      description = "The longest a request may wait in the queue when it names no timeout of its own "
          + "(default: no limit); past it the request gets 503 and is not run.")
  Long timeoutMs;

  @Option(names = "--max-request-bytes", paramLabel = "B", defaultValue = "67108864",
      description = "The largest request body accepted; larger gets 413 (default: ${DEFAULT-VALUE}, 64 MiB).")
  long maxRequestBytes;

  @Option(names = "--drain-timeout-s", paramLabel = "S", defaultValue = "8",
      description = "On SIGTERM, how long to finish the requests in flight before exiting (default: ${DEFAULT-VALUE}).")
  double drainTimeoutS;

  @Override
  public Integer call() throws Exception {
    if (maxDelayMs < 0 || drainTimeoutS < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-delay-ms and --drain-timeout-s must not "
          + "be negative");
    }
    List<String[]> namedPaths = new ArrayList<>();
    for (String more : moreModels) {
      int eq = more.indexOf('=');
      if (eq <= 0 || eq == more.length() - 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--model takes NAME=PATH, got '" + more + "'");
      }
      namedPaths.add(new String[] {more.substring(0, eq), more.substring(eq + 1)});
    }
    InferenceServer.Builder server = InferenceServer.builder().host(host).port(port).maxRequestBytes(maxRequestBytes);
    Network main = options.open(null);
    server.model(name != null ? name : main.name(), main, predictor(main));
    for (String[] namedPath : namedPaths) {
      Network network = Network.load(Path.of(namedPath[1]), options.inputShape(), TorchReadOptions.DEFAULT,
          WeightProgress.NONE);
      server.model(namedPath[0], network, predictor(network));
    }
    InferenceServer running = server.start();
    Duration drain = Duration.ofMillis(Math.round(drainTimeoutS * 1000));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> running.shutdown(drain), "sequent-serve-shutdown"));
    System.out.println("serving " + running.models().values().stream().map(ServeCommand::describe)
        .collect(Collectors.joining(", ")) + " at " + running.baseUri());
    System.out.flush();
    running.awaitStopped();
    return 0;
  }

  private BatchingPredictor.Builder predictor(Network network) {
    BatchingPredictor.Builder predictor = BatchingPredictor.builder(network)
        .maxBatch(maxBatch)
        .maxDelay(Duration.ofNanos(Math.round(maxDelayMs * 1_000_000)))
        .queueCapacity(queueCapacity)
        .instances(instances);
    if (timeoutMs != null) {
      predictor.defaultTimeout(Duration.ofMillis(timeoutMs));
    }
    return predictor;
  }

  /** {@code lenet [1,28,28] -> [10] (sequent_pytorch)}. */
  private static String describe(ServedModel model) {
    return model.name() + " " + model.inputShape() + " -> " + model.outputShape() + " (" + model.platform() + ")";
  }
}
