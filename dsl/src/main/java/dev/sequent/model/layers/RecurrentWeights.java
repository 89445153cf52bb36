package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.kind.ParamConversion;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent layer's tensors in either framework's form, read into and written from one neutral
 * form per stacked layer and direction ({@link CellWeights}), through which {@link RecurrentKind}
 * converts between the frameworks and the op binds its weights.
 *
 * <p>The conventions (Keras 3.15 {@code keras/src/layers/rnn/{lstm,gru,simple_rnn}.py}, PyTorch
 * {@code torch/nn/modules/rnn.py}): Keras kernels are {@code (in, gates*H)}, PyTorch weights
 * {@code (gates*H, in)}. LSTM gates are i,f,c,o in Keras and i,f,g,o in PyTorch (the same order).
 * GRU gates are z,r,h in Keras and r,z,n in PyTorch: the first two row blocks swap. Keras LSTM
 * and SimpleRNN have one bias, which is PyTorch's {@code bias_ih + bias_hh} (written back as
 * {@code bias_ih = bias}, {@code bias_hh = 0}); Keras {@code GRU(reset_after=True)} keeps the two
 * as the rows of a {@code (2, 3H)} bias (input, recurrent), PyTorch's {@code bias_ih} and
 * {@code bias_hh}; {@code reset_after=False} has one input bias and applies the reset gate before
 * the recurrent product, which no PyTorch GRU computes.
 */
public final class RecurrentWeights {
  private RecurrentWeights() {}

  /**
   * One direction of one stacked layer, in Keras' gate order.
   *
   * @param kernel {@code (in, G*H)}
   * @param recurrent {@code (H, G*H)}
   * @param inputBias {@code G*H}, or null without biases
   * @param recurrentBias {@code G*H} added to the recurrent product (PyTorch's {@code bias_hh}, Keras
   *     GRU's second bias row), or null (Keras LSTM, SimpleRNN, GRU reset_after=False, no biases)
   */
  public record CellWeights(ParamArray kernel, ParamArray recurrent, float[] inputBias, float[] recurrentBias) {}

  /** The PyTorch row block of each Keras gate block, and back: GRU swaps z and r, the others keep their order. */
  private static int[] gateOrder(Recurrent r) {
    return r.cell() == Recurrent.Cell.GRU ? new int[] {1, 0, 2} : identity(r.cell().gates);
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** The cells of {@code values}, tensors of {@code f}'s form in {@link Recurrent#params(List, Framework)} order. */
  public static List<CellWeights> read(Recurrent r, Framework f, List<ParamArray> values) {
    List<CellWeights> cells = new ArrayList<>();
    int i = 0;
    int[] order = gateOrder(r);
    for (int l = 0; l < r.layers(); l++) {
      for (int d = 0; d < r.directions(); d++) {
        if (f == Framework.KERAS) {
          ParamArray kernel = values.get(i++);
          ParamArray recurrent = values.get(i++);
          float[] inputBias = null;
          float[] recurrentBias = null;
          if (r.useBias()) {
            ParamArray bias = values.get(i++);
            if (r.resetAfter()) {
              inputBias = ParamConversion.slice(bias, 0).data();
              recurrentBias = ParamConversion.slice(bias, 1).data();
            } else {
              inputBias = bias.data();
            }
          }
          cells.add(new CellWeights(kernel, recurrent, inputBias, recurrentBias));
        } else {
          ParamArray ih = values.get(i++);
          ParamArray hh = values.get(i++);
          ParamArray kernel = ParamConversion.transpose(ParamConversion.permuteBlocks(ih, order));
          ParamArray recurrent = ParamConversion.transpose(ParamConversion.permuteBlocks(hh, order));
          float[] inputBias = null;
          float[] recurrentBias = null;
          if (r.useBias()) {
            inputBias = ParamConversion.permuteBlocks(values.get(i++), order).data();
            recurrentBias = ParamConversion.permuteBlocks(values.get(i++), order).data();
          }
          cells.add(new CellWeights(kernel, recurrent, inputBias, recurrentBias));
        }
      }
    }
    return cells;
  }

  /**
   * {@code cells} as {@code f}'s tensors. Writing Keras' one bias sums the two; writing PyTorch's two
   * from one puts it in {@code bias_ih} and zeros in {@code bias_hh}.
   *
   * @throws IllegalArgumentException for a {@code GRU(reset_after=False)} cell with a recurrent bias
   */
  public static List<ParamArray> write(Recurrent r, Framework f, List<CellWeights> cells) {
    List<ParamArray> out = new ArrayList<>();
    int[] order = gateOrder(r);
    int gh = r.cell().gates * r.units();
    for (CellWeights c : cells) {
      if (f == Framework.KERAS) {
        out.add(copy(c.kernel()));
        out.add(copy(c.recurrent()));
        if (r.useBias()) {
          float[] in = c.inputBias();
          float[] rec = c.recurrentBias() != null ? c.recurrentBias() : new float[gh];
          if (r.resetAfter()) {
            out.add(ParamConversion.stack(List.of(vector(in), vector(rec))));
          } else if (r.cell() == Recurrent.Cell.GRU && c.recurrentBias() != null) {
            throw new IllegalArgumentException("GRU(reset_after=False) has no recurrent bias to take PyTorch's bias_hh");
          } else {
            out.add(ParamConversion.sum(vector(in), vector(rec)));
          }
        }
      } else {
        out.add(ParamConversion.permuteBlocks(ParamConversion.transpose(c.kernel()), order));
        out.add(ParamConversion.permuteBlocks(ParamConversion.transpose(c.recurrent()), order));
        if (r.useBias()) {
          out.add(ParamConversion.permuteBlocks(vector(c.inputBias()), order));
          out.add(ParamConversion.permuteBlocks(
              vector(c.recurrentBias() != null ? c.recurrentBias() : new float[gh]), order));
        }
      }
    }
    return out;
  }

  private static ParamArray vector(float[] v) {
    return new ParamArray(Shape.of(v.length), v.clone());
  }

  private static ParamArray copy(ParamArray a) {
    return new ParamArray(a.shape(), a.data().clone());
  }
}
