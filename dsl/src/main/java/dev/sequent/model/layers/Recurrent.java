package dev.sequent.model.layers;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent layer over {@code (time, features)} samples: Keras {@code SimpleRNN}, {@code LSTM},
 * {@code GRU} (optionally wrapped in {@code Bidirectional}), PyTorch {@code nn.RNN}, {@code nn.LSTM},
 * {@code nn.GRU} (with {@code num_layers} and {@code bidirectional}).
 *
 * <p>Input {@code (T, F)}; output {@code (T, D*H)} for {@link Output#SEQUENCE}, {@code (D*H)}
 * otherwise, where {@code H} is the units / hidden size and {@code D} 2 for a bidirectional layer
 * merged by concatenation, else 1. Parameters per layer {@code l} and direction: Keras
 * {@code kernel (F_l, G*H)}, {@code recurrent_kernel (H, G*H)}, {@code bias (G*H)} ({@code (2, 3H)}
 * for {@code GRU(reset_after=True)}); PyTorch {@code weight_ih_l<l> (G*H, F_l)},
 * {@code weight_hh_l<l> (G*H, H)}, {@code bias_ih_l<l>}, {@code bias_hh_l<l>} ({@code _reverse} for the
 * backward direction), with {@code G} the gate count (1, 4, 3). The two sets do not pair 1:1;
 * {@link RecurrentKind} converts between them.
 *
 * @param declaredIn PyTorch's {@code input_size}, checked against the input; 0 for Keras
 * @param activation Keras' {@code activation} (tanh; PyTorch RNN's {@code nonlinearity}); LSTM and GRU
 *     in PyTorch are always tanh
 * @param recurrentActivation Keras' {@code recurrent_activation} of the gates (sigmoid in PyTorch)
 * @param resetAfter GRU only: Keras' {@code reset_after} (PyTorch's GRU is {@code reset_after=True})
 * @param layers PyTorch's {@code num_layers}; 1 for Keras
 * @param bidirectional Keras {@code Bidirectional} wrapper, PyTorch {@code bidirectional=True}
 * @param merge how a bidirectional layer's two directions combine (Keras {@code merge_mode}; PyTorch concatenates)
 * @param goBackwards Keras' {@code go_backwards} of a one-direction layer
 * @param batchFirst PyTorch's {@code batch_first}; Sequent's batches are always batch-first, so it
 *     only says how the module was declared
 * @param returnState Keras' {@code return_state}: the call returns {@code [output, h]} ({@code [output,
 *     h, c]} for an LSTM); each is a node of its own ({@link #stateOutputs}), all of them records with
 *     this flag, so a Keras config written back says {@code return_state=True}
 * @param initialStates whether the call passes initial states (Keras {@code initial_state=[h, c]}, PyTorch
 *     {@code lstm(x, (h0, c0))}): the inputs after the sequence, {@code (H)} each, {@link Cell#states} of them;
 *     without, the states start at zero
 * @param masked whether the last input is a Keras mask of the steps ({@code (T)}, 1 for a step that
 *     counts, 0 for a masked one, from {@code Embedding(mask_zero=True)} or {@code Masking}): a masked
 *     step keeps the previous states and outputs the previous output (zeros before the first kept step),
 *     as Keras' {@code backend.rnn} does
 */
public record Recurrent(
    Framework framework, Cell cell, int units, int declaredIn, Activation activation,
    Activation recurrentActivation, boolean useBias, boolean resetAfter, int layers, boolean bidirectional,
    Merge merge, boolean goBackwards, Output output, boolean batchFirst, boolean returnState,
    boolean initialStates, boolean masked) implements LayerSpec {

  /** The recurrent cell: its gate count and its class names. */
  public enum Cell {
    SIMPLE(1, "SimpleRNN", "RNN", "simple_rnn_cell"),
    LSTM(4, "LSTM", "LSTM", "lstm_cell"),
    GRU(3, "GRU", "GRU", "gru_cell");

    public final int gates;
    /** The states the cell carries: h, and an LSTM's c. */
    public final int states;
    public final String kerasClass;
    public final String torchClass;
    /** The Keras name of the layer's cell (its variables' group). */
    public final String kerasCellName;

    Cell(int gates, String kerasClass, String torchClass, String kerasCellName) {
      this.gates = gates;
      this.states = gates == 4 ? 2 : 1;
      this.kerasClass = kerasClass;
      this.torchClass = torchClass;
      this.kerasCellName = kerasCellName;
    }
  }

  /** Keras {@code Bidirectional(merge_mode=...)}; {@code None} (two outputs) is not supported. */
  public enum Merge {
    CONCAT("concat"), SUM("sum"), MUL("mul"), AVE("ave");

    public final String keras;

    Merge(String keras) {
      this.keras = keras;
    }
  }

  /**
   * What the layer gives the next layer. Keras: {@code return_sequences=True} is {@link #SEQUENCE},
   * {@code False} {@link #FINAL_STATE}. PyTorch's module returns a tuple; the Java model takes
   * {@code output} ({@link #SEQUENCE}), {@code output[:, -1]} ({@link #LAST_STEP}) or the last layer's
   * {@code h_n} ({@link #FINAL_STATE}: {@code h_n[-1]}, or {@code cat(h_n[-2], h_n[-1])} when
   * bidirectional, which is what Keras' {@code return_sequences=False} gives).
   */
  public enum Output {
    SEQUENCE, LAST_STEP, FINAL_STATE,
    /** Keras' second output with {@code return_state} (h), as a node of its own; PyTorch's {@code h_n}. */
    STATE_H,
    /** An LSTM's final cell state: Keras' third output with {@code return_state}; PyTorch's {@code c_n}. */
    STATE_C
  }

  /** A Keras LSTM with the usual options ({@code return_state}, initial states and masks off). */
  public Recurrent(
      Framework framework, Cell cell, int units, int declaredIn, Activation activation,
      Activation recurrentActivation, boolean useBias, boolean resetAfter, int layers, boolean bidirectional,
      Merge merge, boolean goBackwards, Output output, boolean batchFirst) {
    this(framework, cell, units, declaredIn, activation, recurrentActivation, useBias, resetAfter, layers,
        bidirectional, merge, goBackwards, output, batchFirst, false, false, false);
  }

  public Recurrent {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "units" : "hiddenSize", units, "the number of units");
    if (declaredIn < 0) {
      throw new ShapeException("inputSize", "input_size must be positive. Received: inputSize=" + declaredIn);
    }
    LayerSpec.positive(keras ? "layers" : "numLayers", layers, "the number of stacked layers");
    if (cell != Cell.GRU && resetAfter) {
      resetAfter = false; // only GRU has the option
    }
    if (bidirectional && goBackwards) {
      throw new ShapeException("goBackwards", "a bidirectional layer runs both directions; go_backwards is for one");
    }
    if (!bidirectional && merge != Merge.CONCAT) {
      merge = Merge.CONCAT; // one direction: nothing to merge
    }
    if (output == Output.STATE_C && cell != Cell.LSTM) {
      throw new ShapeException("take", "only an LSTM has a cell state (c_n); a " + cell.kerasClass + " has h only");
    }
    if ((initialStates || returnState || output == Output.STATE_H || output == Output.STATE_C)
        && (bidirectional || layers > 1)) {
      throw new ShapeException(bidirectional ? "bidirectional" : "numLayers", "initial states and state outputs "
          + "are supported for one layer in one direction; this " + typeName() + " has " + layers + " layer(s) in "
          + directions() + " direction(s)");
    }
  }

  /**
   * The layer giving its {@code output} instead (the same weights and options): a state of
   * {@code return_state}, or an exported graph's {@code select(out, 1, -1)} as {@link Output#LAST_STEP}.
   */
  public Recurrent withOutput(Output o) {
    return new Recurrent(framework, cell, units, declaredIn, activation, recurrentActivation, useBias, resetAfter,
        layers, bidirectional, merge, goBackwards, o, batchFirst, returnState, initialStates, masked);
  }

  /** The layer reading a mask of the steps as its last input ({@link #masked}). */
  public Recurrent withMask() {
    return new Recurrent(framework, cell, units, declaredIn, activation, recurrentActivation, useBias, resetAfter,
        layers, bidirectional, merge, goBackwards, output, batchFirst, returnState, initialStates, true);
  }

  /**
   * Keras' outputs after the first of a {@code return_state} call: {@code h} (and an LSTM's {@code c}),
   * each the layer giving that output; empty without {@code return_state}. Where {@code h} is the first
   * output itself ({@code return_sequences=False}) it is this record.
   */
  public List<Recurrent> stateOutputs() {
    if (!returnState) {
      return List.of();
    }
    List<Recurrent> out = new ArrayList<>();
    out.add(output == Output.FINAL_STATE ? this : withOutput(Output.STATE_H));
    if (cell == Cell.LSTM) {
      out.add(withOutput(Output.STATE_C));
    }
    return out;
  }

  /** The same layer with any output, initial states and mask (they change the call, not the weights). */
  @Override
  public boolean isCallOf(LayerSpec owner) {
    return owner instanceof Recurrent o && plainCall().equals(o.plainCall());
  }

  private Recurrent plainCall() {
    return new Recurrent(framework, cell, units, declaredIn, activation, recurrentActivation, useBias, resetAfter,
        layers, bidirectional, merge, goBackwards, Output.SEQUENCE, batchFirst, returnState, false, false);
  }

  @Override
  public int arity() {
    return 1 + (initialStates ? cell.states : 0) + (masked ? 1 : 0);
  }

  /** Which output of the framework layer's call this record gives: 0, or 1 for h and 2 for c of a return_state call. */
  @Override
  public int outputIndex() {
    return !returnState ? 0 : output == Output.STATE_H ? 1 : output == Output.STATE_C ? 2 : 0;
  }

  @Override
  public String typeName() {
    if (framework == Framework.KERAS) {
      return bidirectional ? RecurrentKind.KERAS_BIDIRECTIONAL : cell.kerasClass;
    }
    return cell.torchClass;
  }

  /** How many directions run: 2 for a bidirectional layer. */
  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** The features of each output step: {@code 2H} for a concatenated bidirectional layer, else {@code H}. */
  public int outputFeatures() {
    return bidirectional && merge == Merge.CONCAT ? 2 * units : units;
  }

  /** The input features of stacked layer {@code l} (the first reads the input, the others the one below). */
  public int inputFeatures(int l, int inputFeatures) {
    return l == 0 ? inputFeatures : directions() * units;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = sequence(inputs);
    checkInput(in);
    if (initialStates) {
      for (int i = 0; i < cell.states; i++) {
        Shape s = inputs.get(1 + i);
        if (!s.equals(Shape.of(units))) {
          throw new ShapeException("initial_state", "initial state " + (i == 0 ? "h" : "c") + " is " + s
              + "; this " + typeName() + " of " + units + " units takes (" + units + ")");
        }
      }
    }
    if (masked && !inputs.get(inputs.size() - 1).equals(Shape.of(in.dim(0)))) {
      throw new ShapeException("mask", "the mask is " + inputs.get(inputs.size() - 1) + "; a mask of "
          + in.dim(0) + " steps is (" + in.dim(0) + ")");
    }
    return output == Output.SEQUENCE ? Shape.of(in.dim(0), outputFeatures()) : Shape.of(outputFeatures());
  }

  /** The sequence among the inputs (the first), after checking their count. */
  private Shape sequence(List<Shape> inputs) {
    if (inputs.size() != arity()) {
      throw new ShapeException(typeName() + " takes " + arity() + " input(s) (the sequence"
          + (initialStates ? ", " + cell.states + " initial state(s)" : "") + (masked ? ", the mask" : "")
          + ") but is wired to " + inputs.size());
    }
    return inputs.get(0);
  }

  private void checkInput(Shape in) {
    if (in.rank() != 2) {
      throw new ShapeException("input is " + in + "; " + typeName() + " takes (time, features) samples");
    }
    if (declaredIn > 0 && in.last() != declaredIn) {
      throw new ShapeException("inputSize", "input has " + in.last() + " features, expected input_size "
          + declaredIn);
    }
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    return params(inputs, framework);
  }

  /** The layer's tensors as {@code f}'s layer holds them, in that framework's order (see the class doc). */
  public List<ParamSpec> params(List<Shape> inputs, Framework f) {
    Shape in = sequence(inputs);
    checkInput(in);
    int gh = cell.gates * units;
    List<ParamSpec> out = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int fl = inputFeatures(l, in.last());
      for (int d = 0; d < directions(); d++) {
        if (f == Framework.KERAS) {
          String prefix = kerasPrefix(l, d);
          out.add(ParamSpec.own(prefix + "kernel", Shape.of(fl, gh), true));
          out.add(ParamSpec.own(prefix + "recurrent_kernel", Shape.of(units, gh), true));
          if (useBias) {
            out.add(ParamSpec.own(prefix + "bias", resetAfter ? Shape.of(2, gh) : Shape.of(gh), true));
          }
        } else {
          String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
          out.add(ParamSpec.own("weight_ih" + suffix, Shape.of(gh, fl), true));
          out.add(ParamSpec.own("weight_hh" + suffix, Shape.of(gh, units), true));
          if (useBias) {
            out.add(ParamSpec.own("bias_ih" + suffix, Shape.of(gh), true));
            out.add(ParamSpec.own("bias_hh" + suffix, Shape.of(gh), true));
          }
        }
      }
    }
    return out;
  }

  /** Keras' variable names below the layer: {@code lstm_cell/kernel}, {@code forward_lstm/lstm_cell/kernel}. */
  private String kerasPrefix(int l, int d) {
    String layer = layers > 1 ? "layer_" + l + "/" : "";
    String direction = bidirectional ? (d == 0 ? "forward_" : "backward_") + cell.kerasClass.toLowerCase() + "/" : "";
    return layer + direction + cell.kerasCellName + "/";
  }

  /**
   * As torchinfo counts an RNN module: every {@code weight*} and {@code bias*} parameter once per
   * step ({@code prod(output_size[:2])} of a batch of one).
   */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    long steps = sequence(inputs).dim(0);
    return steps * params(inputs, Framework.TORCH).stream().mapToLong(ParamSpec::count).sum();
  }
}
