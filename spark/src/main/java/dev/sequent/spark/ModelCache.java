package dev.sequent.spark;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.serve.BatchingPredictor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * The networks of this JVM, one per model file: what makes a Spark executor load a model once
 * however many tasks, partitions and transforms score with it.
 *
 * <p>Why static: Spark ships the transformer's closure to every task, and each task deserialises
 * its own copy, so state held by the transformer would be per task. A JVM-wide cache is the
 * only thing every task of an executor shares (as Spark's own broadcast variables are cached
 * per executor).
 *
 * <p>A model is keyed by its resolved file, the file's size and modification time (a file
 * replaced in place is loaded again), the model class and the input shape. The first task to ask
 * loads it while others asking for the same key wait for that load; different models load in
 * parallel. A load that fails is not cached, so a later task sees the error again rather than a
 * stale one.
 */
final class ModelCache {
  private static final ConcurrentMap<Key, Pending> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ModelCache() {}

  /**
   * What a model is loaded from, as the transformer's params say: the file, the compiled model
   * class for a state_dict (null for a file with its own architecture), the sample shape (null
   * where the file records it). Serializable: it travels to the executors in the task.
   */
  record Source(String path, String modelClass, int[] inputShape) implements java.io.Serializable {
    Optional<String> modelClassName() {
      return Optional.ofNullable(modelClass);
    }

    Optional<Shape> sampleShape() {
      return Optional.ofNullable(inputShape).map(Shape::of);
    }
  }

  /** The identity of a loaded model: the file as found on this JVM, and how it is read. */
  private record Key(Path file, long size, long modified, String modelClass, String inputShape) {}

  /** A loaded network and the predictor that batches its forward passes, shared by this JVM's tasks. */
  static final class Entry {
    private final Network network;
    private final ConcurrentMap<Integer, BatchingPredictor> predictors = new ConcurrentHashMap<>();

    private Entry(Network network) {
      this.network = network;
    }

    Network network() {
      return network;
    }

    /**
     * The predictor with {@code maxBatch} samples per forward pass. One worker: ND4J's kernels
     * already use every core for one batch, and concurrent tasks' batches queue behind each other
     * (or merge, when they are smaller than {@code maxBatch}) instead of oversubscribing the CPU.
     */
    BatchingPredictor predictor(int maxBatch) {
      return predictors.computeIfAbsent(maxBatch, b -> BatchingPredictor.builder(network)
          .maxBatch(b)
          .queueCapacity(Integer.MAX_VALUE)
          .instances(1)
          .build());
    }
  }

  /** The network for {@code source}, loading it on this JVM's first use. */
  static Entry get(Source source) {
    Path file = resolve(source.path());
    Key key = keyOf(file, source);
    Pending pending = MODELS.computeIfAbsent(key, k -> new Pending());
    try {
      return pending.get(file, source);
    } catch (RuntimeException | Error e) {
      MODELS.remove(key, pending); // not cached: the next task tries again and reports its own error
      throw e;
    }
  }

  /**
   * A model being loaded or loaded: the map holds these rather than the model, so the map's own
   * lock is held only to insert one and the load of one model blocks no other.
   */
  private static final class Pending {
    private Entry entry;

    synchronized Entry get(Path file, Source source) {
      if (entry == null) {
        entry = new Entry(load(file, source));
        LOADS.incrementAndGet();
      }
      return entry;
    }
  }

  /** How many models this JVM has loaded (each distinct key once); what the tests check. */
  static int loads() {
    return LOADS.get();
  }

  /**
   * The model file on this JVM: the path as given when it exists here (a local or shared path),
   * else the file of that name shipped to the job with {@code --files} / {@code SparkContext.addFile}.
   */
  static Path resolve(String path) {
    Path plain = Path.of(path);
    if (Files.isRegularFile(plain)) {
      return plain.toAbsolutePath().normalize();
    }
    if (SparkEnv.get() != null) {
      Path shipped = Path.of(SparkFiles.get(plain.getFileName().toString()));
      if (Files.isRegularFile(shipped)) {
        return shipped;
      }
      throw new IllegalArgumentException("model file " + path + " does not exist on this node, nor was "
          + plain.getFileName() + " shipped with --files (looked in " + SparkFiles.getRootDirectory() + ")");
    }
    throw new IllegalArgumentException("model file " + path + " does not exist");
  }

  private static Key keyOf(Path file, Source source) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new Key(file, attributes.size(), attributes.lastModifiedTime().toMillis(),
          source.modelClassName().orElse(""), source.sampleShape().map(Shape::toString).orElse(""));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Network load(Path file, Source source) {
    Optional<Shape> shape = source.sampleShape();
    Network network;
    if (source.modelClassName().isPresent()) {
      String type = source.modelClass();
      network = Network.create(compiledModel(type), 0).withModules(compiledModules(type)).loadWeights(file);
    } else {
      network = Network.load(file, shape, TorchReadOptions.DEFAULT, WeightProgress.NONE);
    }
    if (network.inputNames().size() != 1 || network.outputNames().size() != 1) {
      throw new IllegalArgumentException("model " + file + " has inputs " + network.inputNames() + " and outputs "
          + network.outputNames() + "; SequentModel scores models of one input and one output");
    }
    if (shape.isPresent() && !shape.get().equals(network.inputShape())) {
      throw new IllegalArgumentException("inputShape " + shape.get() + " does not match the input shape "
          + network.inputShape() + " of model " + file);
    }
    return network;
  }

  /**
   * The model of a compiled Sequent model class: the generated {@code <Name>Net.model()} (or the
   * named class's own {@code model()}), found through the task's class loader, which holds the
   * user's jar on an executor.
   */
  static InferredModel compiledModel(String fqcn) {
    for (String candidate : new String[] {fqcn, fqcn + "Net"}) {
      Optional<Object> model = invokeStatic(candidate, "model", InferredModel.class);
      if (model.isPresent()) {
        return (InferredModel) model.get();
      }
    }
    throw new IllegalArgumentException("no compiled Sequent model " + fqcn + " (nor " + fqcn
        + "Net) on the classpath of this JVM; ship the jar that holds it with --jars");
  }

  private static ModuleTree compiledModules(String fqcn) {
    for (String candidate : new String[] {fqcn + "Net", fqcn}) {
      Optional<Object> modules = invokeStatic(candidate, "modules", ModuleTree.class);
      if (modules.isPresent()) {
        return (ModuleTree) modules.get();
      }
    }
    return ModuleTree.FLAT;
  }

  private static Optional<Object> invokeStatic(String className, String methodName, Class<?> returns) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class<?> type = Class.forName(className, true, loader != null ? loader : ModelCache.class.getClassLoader());
      Method method = type.getMethod(methodName);
      if (!returns.isAssignableFrom(method.getReturnType())) {
        return Optional.empty();
      }
      return Optional.of(method.invoke(null));
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return Optional.empty();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot build model " + className + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build model " + className + ": " + e, e);
    }
  }
}
