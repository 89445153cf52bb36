package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.SmallOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each layer's time inside real forward passes: the network's own plan rebuilt with every op
 * wrapped in a timer, then run as {@code Network.forward} runs it. Timing an op alone on a copy of
 * its input overstates it 2-3x (cold inputs, no neighbour in the cache, no pass-array reuse: a
 * residual add read 1.3 ms alone and 0.19 ms in a pass), so per-layer claims in
 * docs/benchmarks.md come from here. In a plain-Java pass split into chunks, each chunk's time is
 * counted, so a layer's figure is its thread time per call, and the layers add up to more than the
 * pass: the report gives both.
 *
 * <p>In package {@code dev.sequent.runtime} to reach the plan, which the public API does not show.
 */
public final class LayerTimes {
  private final ExecutionPlan timed;
  private final List<String> names = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final List<LongAdder> nanos = new ArrayList<>();
  private final List<Integer> javaMaxBatch = new ArrayList<>();

  /** The network's plan with every op timed. */
  public LayerTimes(Network network) {
    ExecutionPlan plan = network.plan();
    List<BoundLayer> wrapped = new ArrayList<>();
    List<InferredModel.Layer> layers = plan.model().nodes();
    for (int i = 0; i < plan.ops().size(); i++) {
      BoundLayer op = plan.ops().get(i);
      LongAdder total = new LongAdder();
      names.add(layers.get(i).name());
      kinds.add(layers.get(i).spec().getClass().getSimpleName());
      nanos.add(total);
      javaMaxBatch.add(op.javaMaxBatch());
      LayerOp nd4j = inputs -> {
        long start = System.nanoTime();
        INDArray y = op.nd4j().apply(inputs);
        total.add(System.nanoTime() - start);
        return y;
      };
      SmallOp java = op.java() == null ? null : (inputs, batch) -> {
        long start = System.nanoTime();
        float[] y = op.java().apply(inputs, batch);
        total.add(System.nanoTime() - start);
        return y;
      };
      SmallOp channelsLast = op.channelsLast() == null ? null : (inputs, batch) -> {
        long start = System.nanoTime();
        float[] y = op.channelsLast().apply(inputs, batch);
        total.add(System.nanoTime() - start);
        return y;
      };
      wrapped.add(new BoundLayer(nd4j, java, op.javaMaxBatch(), op.javaAnyBatch(), channelsLast, op.followsInputs()));
    }
    timed = new ExecutionPlan(plan.model(), plan.params(), wrapped, plan.javaMaxBatch(), plan.freeAfter(),
        plan.paramMemory(), plan.layouts());
  }

  /** One forward pass through the timed plan. */
  public INDArray forward(INDArray batch) {
    return timed.forward(batch);
  }

  /** Forgets the times so far (after warm-up). */
  public void reset() {
    nanos.forEach(LongAdder::reset);
  }

  public int size() {
    return names.size();
  }

  public String name(int i) {
    return names.get(i);
  }

  public String kind(int i) {
    return kinds.get(i);
  }

  /** The largest batch layer {@code i} runs in plain Java (0: none); the pass does when every layer does. */
  public int javaMaxBatch(int i) {
    return javaMaxBatch.get(i);
  }

  /** Layer {@code i}'s nanoseconds since the last {@link #reset}, every chunk's counted. */
  public long nanos(int i) {
    return nanos.get(i).sum();
  }
}
