package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter set of a network and its layers bound to it, ready to run: what {@link Network}
 * swaps in with one volatile write when it loads weights. Immutable, so any number of threads may
 * run {@link #forward} on one plan while another plan replaces it.
 *
 * <p>Each layer runs in one of two forms. Batches of up to {@code javaMaxBatch} samples (the
 * smallest limit of any layer; 0 when one layer has no Java form, e.g. a custom layer) run on Java
 * arrays and never create an ND4J array between layers; larger ones run on ND4J.
 *
 * @param model the model the layers belong to, for the graph order and the input shape
 * @param params every layer's parameters in its own framework's layout, by layer name
 * @param ops the layers bound to {@code params}, in {@code model.nodes()} order
 * @param javaMaxBatch the largest batch every layer can run in plain Java
 */
record ExecutionPlan(InferredModel model, Map<String, List<INDArray>> params, List<BoundLayer> ops,
    int javaMaxBatch) {

  ExecutionPlan {
    params = Map.copyOf(params);
    ops = List.copyOf(ops);
  }

  /** See {@link Network#forward}. */
  INDArray forward(INDArray batch) {
    checkInput(batch);
    long n = batch.size(0);
    if (n >= 1 && n <= javaMaxBatch) {
      return forwardInJava(batch, (int) n);
    }
    INDArray x = batch.dataType() == DataType.FLOAT ? batch.dup('c') : batch.castTo(DataType.FLOAT).dup('c');
    return pass(x, (op, inputs) -> op.nd4j().apply(inputs));
  }

  /** The same pass on Java arrays: one ND4J array, the result, instead of several per layer. */
  private INDArray forwardInJava(INDArray batch, int n) {
    float[] x = FloatArrays.copyOf(batch.dataType() == DataType.FLOAT ? batch : batch.castTo(DataType.FLOAT));
    float[] y = pass(x, (op, inputs) -> op.java().apply(inputs, n));
    return FloatArrays.of(y, model.outputShape().withBatch(n));
  }

  /** Runs every layer in graph order on values of type {@code T}, feeding each its named inputs. */
  private <T> T pass(T input, BiFunction<BoundLayer, List<T>, T> run) {
    Map<String, T> values = new HashMap<>();
    values.put(ModelSpec.INPUT, input);
    List<InferredModel.Layer> layers = model.nodes();
    for (int i = 0; i < layers.size(); i++) {
      InferredModel.Layer layer = layers.get(i);
      List<T> inputs = new ArrayList<>(layer.node().inputs().size());
      for (String in : layer.node().inputs()) {
        inputs.add(values.get(in));
      }
      values.put(layer.name(), run.apply(ops.get(i), inputs));
    }
    return values.get(model.spec().output());
  }

  /** Whether a layer reading the model input looks up integer ids (an embedding). */
  private boolean readsIds() {
    return model.nodes().stream().anyMatch(l -> l.spec().readsIntegerIds()
        && l.node().inputs().contains(ModelSpec.INPUT));
  }

  /**
   * Refuses a batch that is not floating point or not {@code [N, ...inputShape]}, saying what was
   * expected, and whether the batch looks like image data in the other channel order.
   */
  private void checkInput(INDArray batch) {
    String name = model.spec().name();
    long[] actual = batch.shape();
    int[] sample = model.inputShape().toArray();
    boolean ok = actual.length == sample.length + 1;
    for (int i = 0; ok && i < sample.length; i++) {
      ok = actual[i + 1] == sample[i];
    }
    if (!batch.dataType().isFPType()) {
      // Integer arrays are ids: accepted (and converted to float, exact below 2^24) where an
      // embedding reads the input, refused elsewhere as the likely mistake they are.
      if (!readsIds()) {
        throw new InputShapeException(RuntimeMessage.INPUT_NOT_FLOATING_POINT.format(name, batch.dataType()));
      }
      if (!batch.dataType().isIntType()) {
        throw new InputShapeException(RuntimeMessage.INPUT_NOT_NUMERIC.format(name, batch.dataType()));
      }
    }
    if (!ok) {
      String dims = Arrays.stream(sample).mapToObj(String::valueOf).collect(Collectors.joining(","));
      String message = RuntimeMessage.INPUT_SHAPE.format(name, dims, model.inputShape(),
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
