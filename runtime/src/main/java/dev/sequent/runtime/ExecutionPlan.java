package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.ChannelLayouts;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.NdArrays;
import dev.sequent.runtime.exec.PassArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One parameter set of a network and its layers bound to it, ready to run: what {@link Network}
 * swaps in with one volatile write when it loads weights. Immutable, so any number of threads may
 * run {@link #forward} on one plan while another plan replaces it.
 *
 * <p>Each layer runs in one of two forms. Batches of up to {@code javaMaxBatch} samples (the
 * smallest limit of any layer; 0 when one layer has no Java form, e.g. a custom layer) run on Java
 * arrays and never create an ND4J array between layers; larger ones run on ND4J.
 *
 * @param model the model the layers belong to, for the graph order and the input shapes
 * @param params every layer's parameters in its own framework's layout, by layer name (a layer that
 *     shares another's weights has none; its op is bound to the owner's)
 * @param ops the layers bound to {@code params}, in {@code model.nodes()} order
 * <p>The ND4J pass gives each intermediate array's native memory back as soon as the last layer
 * reading it has run ({@code freeAfter}; {@link ActivationBuffers} holds it for the next layer or
 * call that asks for the same length), unless another value still alive (a view, a pass-through,
 * a model output) or a parameter shares its memory. Left to the garbage collector, ND4J's buffers
 * outlive the pass by as long as the heap takes to fill: a 2 GB heap held 7 GB of native memory in
 * ResNet-18's 224x224 pass at batch 32. Every call's arrays are its own, so this is thread-safe.
 * The plain-Java pass does the same with its heap arrays: it runs in an arena of its own
 * ({@link PassArrays}), and each value goes back to it after its last reader.
 *
 * @param javaMaxBatch the largest batch every layer can run in plain Java
 * @param freeAfter per layer (model order), the values whose last reader it is ({@link PlanBinder#freeAfter})
 * @param paramMemory the native memory of every parameter, {@code [start, end)}, which no value
 *     given back may overlap (worked out once: asking every parameter per freed value was 4 % of
 *     MobileNetV2's samples at batch 1)
 * @param layouts which layers the plain-Java pass runs on channels-last values, and the values it
 *     converts between layouts ({@link ChannelLayouts})
 */
record ExecutionPlan(InferredModel model, Map<String, List<INDArray>> params, List<BoundLayer> ops,
    int javaMaxBatch, List<List<String>> freeAfter, List<long[]> paramMemory, ChannelLayouts layouts) {

  ExecutionPlan(InferredModel model, Map<String, List<INDArray>> params, List<BoundLayer> ops, int javaMaxBatch,
      List<List<String>> freeAfter) {
    this(model, params, ops, javaMaxBatch, freeAfter, memoryOf(params), ChannelLayouts.of(model, ops));
  }

  private static List<long[]> memoryOf(Map<String, List<INDArray>> params) {
    List<long[]> ranges = new ArrayList<>();
    for (List<INDArray> list : params.values()) {
      for (INDArray p : list) {
        if (p != null && !p.isEmpty() && !p.wasClosed()) {
          ranges.add(range(p));
        }
      }
    }
    return ranges;
  }

  /**
   * Passes running now (plain Java or ND4J), in every plan of this JVM: the intra-op threads are
   * the process's, so callers running at once share them.
   */
  private static final java.util.concurrent.atomic.AtomicInteger PASSES_RUNNING =
      new java.util.concurrent.atomic.AtomicInteger();

  ExecutionPlan {
    params = Map.copyOf(params);
    ops = List.copyOf(ops);
    freeAfter = List.copyOf(freeAfter);
    paramMemory = List.copyOf(paramMemory);
  }

  /** See {@link Network#forward(INDArray)}: a model with one input and one output. */
  INDArray forward(INDArray batch) {
    ModelSpec spec = model.spec();
    if (spec.isMultiIO()) {
      throw new InputShapeException(RuntimeMessage.SINGLE_TENSOR_FORWARD_ON_GRAPH.format(spec.name(),
          spec.inputs().size(), spec.outputs().size()));
    }
    return forward(List.of(batch)).get(0);
  }

  /** See {@link Network#forward(List)}: one batch per input in order, one result per output in order. */
  List<INDArray> forward(List<INDArray> batches) {
    ModelSpec spec = model.spec();
    if (batches.size() != spec.inputs().size()) {
      throw new InputShapeException(RuntimeMessage.INPUT_COUNT.format(spec.name(), spec.inputs().size(),
          spec.inputNames(), batches.size()));
    }
    long n = -1;
    for (int i = 0; i < batches.size(); i++) {
      checkInput(spec.inputs().get(i), batches.get(i));
      long size = batches.get(i).size(0);
      if (n >= 0 && size != n) {
        throw new InputShapeException(RuntimeMessage.INPUT_BATCH_SIZES.format(spec.name(), n,
            spec.inputs().get(i).name(), size));
      }
      n = size;
    }
    if (n >= 1 && (n <= javaMaxBatch || inJavaChunks(n))) {
      int samples = (int) n;
      List<INDArray> xs = batches.stream().map(b -> Elementwise.contiguous(b.dataType() == DataType.FLOAT
          ? b : b.castTo(DataType.FLOAT))).toList();
      return javaPass(xs, samples);
    }
    List<INDArray> xs = batches.stream().map(b -> b.dataType() == DataType.FLOAT ? b.dup('c')
        : b.castTo(DataType.FLOAT).dup('c')).toList();
    // ops that split their own work (a convolution's patches, depthwise planes: IntraOp.share) get this
    // pass's share of the intra-op threads
    int running = PASSES_RUNNING.incrementAndGet();
    List<INDArray> ys;
    try {
      ys = IntraOp.withHelpers(threadsPerPass(Nd4j.getEnvironment().maxThreads(), running) - 1,
          () -> pass(xs, (i, op, inputs) -> op.nd4j().apply(inputs), this::free));
    } finally {
      PASSES_RUNNING.decrementAndGet();
    }
    // One node may be listed as two outputs: each result is its own array.
    List<INDArray> out = new ArrayList<>(ys.size());
    for (INDArray y : ys) {
      out.add(out.stream().anyMatch(o -> o == y) ? y.dup() : y);
    }
    return out;
  }

  /**
   * The plain-Java pass over {@code samples} samples, split into chunks of samples
   * ({@link #parts}): every layer's inference form treats each sample on its own, so the chunks
   * run the whole pass independently ({@link IntraOp}) and their outputs are concatenated along
   * the batch. Each sample's values are the same bit for bit however the batch is split (the
   * kernels compute each row on its own, in one order).
   */
  private List<INDArray> javaPass(List<INDArray> xs, int samples) {
    int running = PASSES_RUNNING.incrementAndGet();
    try {
      int threads = Nd4j.getEnvironment().maxThreads();
      int parts = parts(samples, javaMaxBatch, threads, running);
      // a pass of one chunk leaves its threads to the ops that split their own work
      return IntraOp.withHelpers(parts == 1 ? threadsPerPass(threads, running) - 1 : 0,
          () -> javaPass(xs, samples, parts, threadsPerPass(threads, running) - 1));
    } finally {
      PASSES_RUNNING.decrementAndGet();
    }
  }

  /**
   * Whether a batch of {@code n} samples, more than {@link #javaMaxBatch}, runs in the plain-Java
   * pass in chunks of at most {@code javaMaxBatch} samples: where some layer's limit below {@code n}
   * bounds only the memory of a call ({@link BoundLayer#javaAnyBatch}: its Java form is its ND4J
   * form's own kernel), and the layers whose limit below {@code n} marks where ND4J gets faster do
   * at most {@link #CHUNKED_SLOWER_SHARE} of the pass's multiply-adds. Each chunk's arrays stay
   * within what {@link PassArrays} reuses, and the layers skip the ND4J regime's copies between its
   * buffers and the heap.
   *
   * <p>Measured (bench/layer-times, interleaved, 2 threads): MobileNetV2 at batch 8 84-85 -> 48-50
   * ms and at batch 32 329 -> 198 ms (its classifier, 0.4 % of the work, is the one layer with a
   * speed limit), ResNet-18 224x224 at batch 8 153 -> 136 ms. ResNet-18 64x64 at batch 32 ran
   * 55 -> 69 ms chunked while its 4x4 and 2x2 layers (half its work) were faster through oneDNN and
   * the products, which the share kept out; with those layers in the valid-taps form (the same
   * kernel in both regimes) it runs chunked at the ND4J regime's speed (44.9 against 43.4 ms).
   */
  boolean inJavaChunks(long n) {
    if (javaMaxBatch < 1 || Boolean.getBoolean(NO_JAVA_CHUNKS_PROPERTY)) {
      return false;
    }
    boolean memoryBound = false;
    long slower = 0;
    long all = 0;
    List<InferredModel.Layer> layers = model.nodes();
    for (int i = 0; i < ops.size(); i++) {
      BoundLayer op = ops.get(i);
      long work = layers.get(i).multAdds();
      all += work;
      if (op.javaMaxBatch() < n) {
        if (op.javaAnyBatch()) {
          memoryBound = true;
        } else {
          slower += work;
        }
      }
    }
    return memoryBound && slower <= CHUNKED_SLOWER_SHARE * all;
  }

  /** The largest share of a pass's multiply-adds {@link #inJavaChunks} lets run below ND4J's speed. */
  static final double CHUNKED_SLOWER_SHARE = 0.05;

  /** {@code -Dsequent.plan.javaChunks.off=true}: batches past {@link #javaMaxBatch} always take the ND4J regime (for A/B measurements and tests). */
  static final String NO_JAVA_CHUNKS_PROPERTY = "sequent.plan.javaChunks.off";

  /**
   * How many chunks a plain-Java pass of {@code samples} samples is split into: ND4J's intra-op
   * threads ({@code OMP_NUM_THREADS}, or {@code Environment.setMaxThreads}) shared among the
   * {@code running} passes in flight (this one included), at least one, at most one per sample.
   * A single caller gets every thread; callers as many as the threads (a service's request
   * threads, a {@code BatchingPredictor} with several instances) each run their batch whole on
   * their own thread, since a helper could only take a core another caller is using, and would
   * cost its hand-off and a slower tail (bench/scaling, docs/benchmarks.md).
   */
  static int chunks(int samples, int intraOpThreads, int running) {
    return Math.max(1, Math.min(samples, threadsPerPass(intraOpThreads, running)));
  }

  /**
   * How many chunks a plain-Java pass of {@code samples} samples is split into when no chunk may
   * hold more than {@code maxChunk} samples: {@link #chunks}, or more where the limit asks for
   * more, then rounded up to a multiple of the pass's threads ({@link #threadsPerPass}), at most
   * one per sample, so every thread runs as many chunks. Three chunks on two threads took two
   * chunks' time for one and a half chunks' work: ResNet-18 64x64 at batch 32 (its max pooling
   * limited to 14 samples) ran in 41 ms against 62 on one thread, with 33 ms of work per thread.
   */
  static int parts(int samples, int maxChunk, int intraOpThreads, int running) {
    int parts = Math.max(chunks(samples, intraOpThreads, running), (samples + maxChunk - 1) / Math.max(1, maxChunk));
    int threads = threadsPerPass(intraOpThreads, running);
    return Math.min(samples, (parts + threads - 1) / threads * threads);
  }

  /** The intra-op threads one of {@code running} passes in flight may use: at least its caller's. */
  static int threadsPerPass(int intraOpThreads, int running) {
    return Math.max(1, Math.max(1, intraOpThreads) / Math.max(1, running));
  }

  private List<INDArray> javaPass(List<INDArray> xs, int samples, int parts, int helpers) {
    List<Shape> outShapes = model.outputShapes();
    if (parts == 1) {
      return PassArrays.during(() -> {
        List<float[]> ys = javaLayers(xs.stream().map(FloatArrays::copyOf).toList(), samples, this::giveBack);
        List<INDArray> out = new ArrayList<>(ys.size());
        for (int i = 0; i < ys.size(); i++) {
          out.add(FloatArrays.of(ys.get(i), outShapes.get(i).withBatch(samples)));
        }
        ys.forEach(PassArrays::give);
        return out;
      });
    }
    int[] start = new int[parts + 1];
    for (int p = 0; p <= parts; p++) {
      start[p] = (int) ((long) samples * p / parts);
    }
    // Each chunk reads its samples straight from the inputs' buffers and writes its results
    // straight into the outputs' (absolute bulk gets and puts on a view of its own): one copy each
    // way instead of two (a whole copy, then the chunk's slice of it; the chunks' results joined,
    // then copied into ND4J). MLP at batch 32 moves 100 KB in.
    List<INDArray> out = new ArrayList<>(outShapes.size());
    for (Shape shape : outShapes) {
      out.add(NdArrays.uninitialized(shape.withBatch(samples)));
    }
    // ND4J's asNioFloat costs microseconds (10 % of MLP's batch-8 samples when each chunk asked
    // for its own): one view per array here, a duplicate per chunk (absolute gets and puts only)
    List<java.nio.FloatBuffer> inViews = xs.stream().map(Elementwise::buffer).toList();
    List<java.nio.FloatBuffer> outViews = out.stream().map(Elementwise::buffer).toList();
    try {
      IntraOp.run(parts, Math.min(parts - 1, helpers), p -> PassArrays.during(() -> {
        int from = start[p];
        int count = start[p + 1] - from;
        List<float[]> slices = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
          int per = Math.toIntExact(xs.get(i).length() / samples);
          float[] slice = PassArrays.take(count * per);
          inViews.get(i).duplicate().get(from * per, slice, 0, slice.length);
          slices.add(slice);
        }
        List<float[]> ys = javaLayers(slices, count, this::giveBack);
        for (int o = 0; o < ys.size(); o++) {
          int per = Math.toIntExact(outShapes.get(o).size());
          outViews.get(o).duplicate().put(from * per, ys.get(o), 0, count * per);
        }
        ys.forEach(PassArrays::give);
        return null;
      }));
    } catch (RuntimeException chunkFailure) {
      // A chunk's error counts samples from the chunk's start (an id outside an embedding's table
      // in "sample 0" of the second half): run the whole batch again on this thread, so the error
      // the caller gets names the sample in the batch they gave. Failures are the rare path.
      javaLayers(xs.stream().map(FloatArrays::copyOf).toList(), samples, null);
      throw chunkFailure;
    }
    // the buffers' views do not keep the arrays' native memory alive
    java.lang.ref.Reference.reachabilityFence(xs);
    java.lang.ref.Reference.reachabilityFence(out);
    return out;
  }

  /** Whether a layer reading this model input (whatever its name) looks up integer ids (an embedding). */
  private boolean readsIds(String inputName) {
    return model.nodes().stream().anyMatch(l -> l.spec().readsIntegerIds()
        && l.node().inputs().contains(inputName));
  }

  /**
   * The plain-Java forms of every layer over {@code n} samples, each in the layout {@link #layouts}
   * gives it: a value read in the other layout than it is kept in is converted for that read and
   * given back after it (unless the layer returned it); the model outputs channels first.
   */
  private List<float[]> javaLayers(List<float[]> inputs, int n,
      java.util.function.BiConsumer<Integer, Map<String, float[]>> afterLayer) {
    if (!layouts.any()) {
      return pass(inputs, (i, op, in) -> op.java().apply(in, n), afterLayer);
    }
    List<float[]> ys = pass(inputs, (i, op, in) -> {
      List<ChannelLayouts.Conversion> conversions = layouts.inputs().get(i);
      List<float[]> read = in;
      for (int k = 0; k < in.size(); k++) {
        if (conversions.get(k) != null) {
          read = read == in ? new ArrayList<>(in) : read;
          read.set(k, conversions.get(k).apply(in.get(k), n));
        }
      }
      float[] y = layouts.channelsLast().get(i) ? op.channelsLast().apply(read, n) : op.java().apply(read, n);
      for (int k = 0; read != in && k < in.size(); k++) {
        if (read.get(k) != in.get(k) && read.get(k) != y) {
          PassArrays.give(read.get(k));
        }
      }
      return y;
    }, afterLayer);
    List<float[]> out = new ArrayList<>(ys.size());
    for (int o = 0; o < ys.size(); o++) {
      ChannelLayouts.Conversion back = layouts.outputs().get(o);
      out.add(back == null ? ys.get(o) : back.apply(ys.get(o), n));
    }
    return out;
  }

  /** One layer's run in {@link #pass}: its index in model order, its op, its inputs. */
  @FunctionalInterface
  private interface LayerRun<T> {
    T apply(int index, BoundLayer op, List<T> inputs);
  }

  /**
   * Runs every layer in graph order on values of type {@code T}, feeding each its named inputs;
   * the model outputs in order.
   */
  private <T> List<T> pass(List<T> inputs, LayerRun<T> run,
      java.util.function.BiConsumer<Integer, Map<String, T>> afterLayer) {
    Map<String, T> values = new HashMap<>();
    List<ModelSpec.Input> declared = model.spec().inputs();
    for (int i = 0; i < declared.size(); i++) {
      values.put(declared.get(i).name(), inputs.get(i));
    }
    List<InferredModel.Layer> layers = model.nodes();
    for (int i = 0; i < layers.size(); i++) {
      InferredModel.Layer layer = layers.get(i);
      List<T> layerInputs = new ArrayList<>(layer.node().inputs().size());
      for (String in : layer.node().inputs()) {
        layerInputs.add(values.get(in));
      }
      values.put(layer.name(), run.apply(i, ops.get(i), layerInputs));
      if (afterLayer != null) {
        afterLayer.accept(i, values);
      }
    }
    return model.spec().outputs().stream().map(values::get).toList();
  }

  /**
   * Gives back ({@link PassArrays#give}) the heap arrays of the values layer {@code at} was the
   * last to read, each unless a value still in {@code values} is the same array (a pass-through
   * of it); they leave {@code values}.
   */
  private void giveBack(int at, Map<String, float[]> values) {
    for (String name : freeAfter.get(at)) {
      float[] a = values.remove(name);
      if (a != null && values.values().stream().noneMatch(v -> v == a)) {
        PassArrays.give(a);
      }
    }
  }

  /**
   * Frees the native memory of the values layer {@code at} was the last to read, each unless its
   * memory overlaps a value still in {@code values} (the ones read later, the model's outputs) or
   * a parameter; the freed ones leave {@code values}.
   */
  private void free(int at, Map<String, INDArray> values) {
    List<String> names = freeAfter.get(at);
    if (names.isEmpty()) {
      return;
    }
    List<INDArray> candidates = new ArrayList<>(names.size());
    for (String name : names) {
      INDArray a = values.remove(name);
      if (a != null) {
        candidates.add(a);
      }
    }
    // two candidates may share one buffer (a layer's output and the pass-through of it): freed once
    List<long[]> freed = new ArrayList<>(candidates.size());
    for (INDArray a : candidates) {
      if (a.isEmpty() || a.wasClosed() || !a.closeable()) {
        continue;
      }
      long[] range = range(a);
      if (freed.stream().anyMatch(r -> overlap(r, range)) || sharesMemory(range, values.values())
          || paramMemory.stream().anyMatch(r -> overlap(r, range))) {
        continue;
      }
      ActivationBuffers.give(a);
      freed.add(range);
    }
  }

  /** The native memory of {@code a}'s whole buffer: {@code [start, end)}. */
  private static long[] range(INDArray a) {
    long start = a.data().address();
    return new long[] {start, start + a.data().length() * a.data().getElementSize()};
  }

  private static boolean overlap(long[] a, long[] b) {
    return a[0] < b[1] && b[0] < a[1];
  }

  /** Whether {@code range} overlaps the buffer of any of {@code others}. */
  private static boolean sharesMemory(long[] range, java.util.Collection<INDArray> others) {
    for (INDArray o : others) {
      if (o != null && !o.isEmpty() && !o.wasClosed() && overlap(range, range(o))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses a batch that is not floating point or not {@code [N, ...shape]} of its input, saying
   * what was expected, and whether the batch looks like image data in the other channel order.
   */
  private void checkInput(ModelSpec.Input input, INDArray batch) {
    String name = model.spec().name() + (model.spec().inputs().size() > 1 ? " input " + input.name() : "");
    long[] actual = batch.shape();
    int[] sample = input.shape().toArray();
    boolean ok = actual.length == sample.length + 1;
    for (int i = 0; ok && i < sample.length; i++) {
      ok = actual[i + 1] == sample[i];
    }
    if (!batch.dataType().isFPType()) {
      // Integer arrays are ids: accepted (and converted to float, exact below 2^24) where an
      // embedding reads the input, refused elsewhere as the likely mistake they are.
      if (!readsIds(input.name())) {
        throw new InputShapeException(RuntimeMessage.INPUT_NOT_FLOATING_POINT.format(name, batch.dataType()));
      }
      if (!batch.dataType().isIntType()) {
        throw new InputShapeException(RuntimeMessage.INPUT_NOT_NUMERIC.format(name, batch.dataType()));
      }
    }
    if (!ok) {
      String dims = Arrays.stream(sample).mapToObj(String::valueOf).collect(Collectors.joining(","));
      String message = RuntimeMessage.INPUT_SHAPE.format(name, dims, input.shape(),
          Arrays.toString(actual).replace(" ", ""));
      if (sample.length == 3 && actual.length == 4 && actual[1] == sample[2] && actual[3] == sample[0]
          && actual[2] == sample[1]) {
        message += RuntimeMessage.CHANNELS_LAST_INPUT_HINT.format();
      } else if (sample.length == 3 && actual.length == 4 && actual[3] == sample[2] && actual[1] == sample[0]) {
        message += RuntimeMessage.CHANNELS_FIRST_INPUT_HINT.format();
      }
      throw new InputShapeException(message);
    }
  }
}
