package dev.sequent.runtime.exec;

import dev.sequent.model.InferredModel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The plan-time fusion pass: walks the graph once and folds chains of element-wise layers into the
 * layer that produces their input, where that layer's op can apply them exactly: inference
 * BatchNorm into the preceding convolution's or dense layer's weights and bias, a following
 * activation into the same kernel's output, and a pooling over blocks after them into a
 * convolution that pools each band of its output ({@link Epilogue.Pooling}). Which layers fold
 * and which absorb is asked of their ops ({@link LayerOpFactory#asEpilogue},
 * {@link LayerOpFactory#absorbs}), never decided here by layer type.
 *
 * <p>Then, in the other direction, a layer (with what folded into it) whose one reader computes
 * its output itself, a block of channels at a time, while it reads them ({@link ChannelSource},
 * {@link LayerOpFactory#readsThrough}): the reader is given the layer's input, and the layer's
 * output never exists whole.
 *
 * <p>A layer is folded only when it is its producer's sole reader and reads nothing else, and the
 * producer's output is not the model's output: no other layer can then see the value the fold
 * skips. Folded layers run as no-ops that hand their input on.
 *
 * @param epilogues per node (model order), what its op absorbs ({@link Epilogue#NONE} mostly)
 * @param folded the nodes folded into an earlier one, or into their reader
 * @param sources per node, the layer folded into its input that it computes as it reads, or null
 */
public record PlanFusion(List<Epilogue> epilogues, BitSet folded, List<ChannelSource> sources) {

  /** A plan with nothing folded: what {@code fuse = false} binds, for comparisons. */
  public static PlanFusion none(InferredModel model) {
    List<Epilogue> none = new ArrayList<>();
    List<ChannelSource> noSources = new ArrayList<>();
    model.nodes().forEach(n -> {
      none.add(Epilogue.NONE);
      noSources.add(null);
    });
    return new PlanFusion(none, new BitSet(), java.util.Collections.unmodifiableList(noSources));
  }

  /**
   * @param params each node's parameters by node index, in the layer's own framework layout
   */
  public static PlanFusion of(InferredModel model, IntFunction<List<org.nd4j.linalg.api.ndarray.INDArray>> params) {
    List<InferredModel.Layer> nodes = model.nodes();
    Map<String, List<Integer>> readers = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String in : nodes.get(i).node().inputs()) {
        readers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
      }
    }
    // A model output's value must stay: nothing folds into the layer that produces it.
    java.util.Set<String> outputs = new java.util.HashSet<>(model.spec().outputs());
    List<Epilogue> epilogues = new ArrayList<>();
    BitSet folded = new BitSet();
    // per value, the node whose output (after what folded into it) it is
    Map<String, Integer> producerOf = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Epilogue e = Epilogue.NONE;
      if (!folded.get(i)) {
        InferredModel.Layer producer = nodes.get(i);
        String tail = producer.name();
        while (!outputs.contains(tail)) {
          List<Integer> r = readers.getOrDefault(tail, List.of());
          if (r.size() != 1 || nodes.get(r.get(0)).node().inputs().size() != 1) {
            break;
          }
          int j = r.get(0);
          Optional<Epilogue> next = OpRegistry.asEpilogue(nodes.get(j), params.apply(j)).flatMap(e::then);
          if (next.isEmpty() || !OpRegistry.absorbs(producer, next.get())) {
            break;
          }
          e = next.get();
          folded.set(j);
          tail = nodes.get(j).name();
        }
        producerOf.put(tail, i);
      }
      epilogues.add(e);
    }
    List<ChannelSource> sources = new ArrayList<>();
    nodes.forEach(n -> sources.add(null));
    for (int j = 0; j < nodes.size(); j++) {
      List<String> inputs = nodes.get(j).node().inputs();
      if (folded.get(j) || inputs.size() != 1 || outputs.contains(inputs.get(0))
          || readers.getOrDefault(inputs.get(0), List.of()).size() != 1 || !producerOf.containsKey(inputs.get(0))) {
        continue;
      }
      int i = producerOf.get(inputs.get(0));
      if (folded.get(i) || sources.get(i) != null || nodes.get(i).node().inputs().size() != 1
          || !OpRegistry.readsThrough(nodes.get(j))) {
        continue;
      }
      Optional<ChannelSource> source = OpRegistry.asChannelSource(nodes.get(i), params.apply(i), epilogues.get(i));
      if (source.isPresent()) {
        sources.set(j, source.get());
        folded.set(i);
      }
    }
    return new PlanFusion(List.copyOf(epilogues), folded, java.util.Collections.unmodifiableList(sources));
  }

  /** The op of a folded layer: its producer already applied it, so the value passes through. */
  public static final BoundLayer PASS_THROUGH =
      new BoundLayer(in -> in.get(0), (in, n) -> in.get(0), Integer.MAX_VALUE).layoutFreeForm();
}
