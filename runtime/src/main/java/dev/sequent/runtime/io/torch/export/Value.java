package dev.sequent.runtime.io.torch.export;

import java.util.List;

/**
 * What one value of an exported graph is while it is lowered onto Sequent's network model
 * ({@link ExportLowering}): a tensor computed by a Sequent node (or a model input), a parameter the
 * graph reads, a derived form of one, a symbolic size, or a value Sequent cannot use (named by why).
 */
sealed interface Value {

  /**
   * A tensor the network computes.
   *
   * @param node the Sequent node (or model input) that produces it
   * @param sizes its recorded sizes, batch axis first: {@link Integer}s, or a symbol's text
   * @param integer whether it holds integer ids
   */
  record Tensor(String node, List<Object> sizes, boolean integer) implements Value {
    public Tensor {
      sizes = List.copyOf(sizes);
    }

    int rank() {
      return sizes.size();
    }

    /** A sample dimension (axis 1 on), which is always static in a model Sequent builds. */
    int dim(int axis) {
      return (Integer) sizes.get(axis < 0 ? sizes.size() + axis : axis);
    }
  }

  /**
   * A computed tensor viewed with its batch axis folded into the sample axes after it ({@code
   * view(x, [N * L, C])} of an {@code (N, L, C)} tensor, as Core ATen IR writes a Linear over a
   * sequence, {@code view → addmm → view}): ops that act on the last axis run on the tensor itself,
   * and a view back to the tensor's own sizes unfolds it.
   *
   * @param tensor the tensor, batch axis first
   * @param sizes the folded view's recorded sizes
   */
  record Folded(Tensor tensor, List<Object> sizes) implements Value {
    public Folded {
      sizes = List.copyOf(sizes);
    }
  }

  /** A parameter, buffer or lifted constant, by its state_dict name. */
  record Param(String name, long[] shape) implements Value {}

  /** A 2-D parameter transposed ({@code t(w)}, {@code permute(w, [1, 0])}): Linear's weight as addmm reads it. */
  record Transposed(Param param) implements Value {}

  /** A tensor of zeros the graph makes for itself ({@code zeros}, {@code full(…, 0)}): a recurrent layer's initial state. */
  record Zeros(String node) implements Value {}

  /** A symbolic or constant integer (a size): views read sizes from the recorded shapes instead. */
  record Size(String name) implements Value {}

  /** A value Sequent cannot give its users, with the reason, reported where it is used. */
  record Unusable(String why) implements Value {}

  /** The output of a node that was already refused: its users are skipped, not reported again. */
  record Refused() implements Value {}
}
