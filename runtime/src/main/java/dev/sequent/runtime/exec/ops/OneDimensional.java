package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Conv1D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a 1-D layer as the 2-D op of the same window over a {@code 1 x length} image: a sequence
 * {@code [steps, channels]} is the image {@code [1, steps, channels]} and {@code [channels, length]}
 * is {@code [channels, 1, length]}, both with the same memory order, so the Java path passes its
 * arrays through unchanged and the ND4J path only reshapes. The 2-D ops' padding, dilation and
 * small-batch kernels are thereby the 1-D layers' too, checked against the frameworks' 1-D layers.
 */
final class OneDimensional {
  private OneDimensional() {}

  /** The image {@code 1 x length} that a sequence is, in the same data format. */
  static Shape asImage(Shape sequence, DataFormat f) {
    return f.imageShape(sequence.dim(Conv1D.channelAxis(f)), 1, sequence.dim(Conv1D.stepAxis(f)));
  }

  /** The inferred 2-D layer {@code image} standing for {@code inferred}, on the image form of its input. */
  static InferredModel.Layer asImageLayer(InferredModel.Layer inferred, LayerSpec image, Shape imageInput) {
    Shape out = image.outputShape(List.of(imageInput));
    return new InferredModel.Layer(new Node(inferred.name(), image, inferred.node().inputs()), List.of(imageInput),
        out, image.params(List.of(imageInput)));
  }

  /** {@code bound} (a 2-D op) with its ND4J input reshaped to the image and its output back to {@code output}. */
  static BoundLayer onSequences(BoundLayer bound, Shape imageInput, Shape output) {
    LayerOp nd4j = in -> {
      INDArray x = in.get(0);
      long n = x.size(0);
      INDArray y = bound.nd4j().apply(List.of(x.reshape('c', imageInput.withBatch(n))));
      return y.reshape('c', output.withBatch(n));
    };
    SmallOp java = bound.java();
    return java == null ? BoundLayer.nd4jOnly(nd4j) : new BoundLayer(nd4j, java, bound.javaMaxBatch());
  }
}
