package dev.sequent.model.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.ParamArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The recurrent conventions on known arrays (fixtures/make_recurrent_fixtures.py checks the same
 * rules with the real frameworks): GRU gate blocks swap, an LSTM's Keras bias is PyTorch's two
 * summed, a GRU(reset_after=True) bias is PyTorch's two as rows, and Keras -> PyTorch -> Keras is
 * the identity.
 */
class RecurrentWeightsTest {
  private static final Activation TANH = Activation.of(Activation.Kind.TANH);
  private static final Activation SIGMOID = Activation.of(Activation.Kind.SIGMOID);

  private static Recurrent keras(Recurrent.Cell cell, boolean resetAfter, boolean bidirectional) {
    return new Recurrent(Framework.KERAS, cell, 2, 0, TANH, SIGMOID, true, resetAfter, 1, bidirectional,
        Recurrent.Merge.CONCAT, false, Recurrent.Output.SEQUENCE, true);
  }

  private static List<ParamArray> random(List<ParamSpec> specs, Framework f) {
    Random r = new Random(3);
    List<ParamArray> out = new ArrayList<>();
    for (ParamSpec p : specs) {
      float[] v = new float[(int) p.count()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      out.add(new ParamArray(p.shape(f), v));
    }
    return out;
  }

  @Test
  void gruGateBlocksSwapAndResetAfterBiasRowsSplit() {
    Recurrent gru = keras(Recurrent.Cell.GRU, true, false);
    List<Shape> in = List.of(Shape.of(5, 1));
    // kernel (1, 6) = gates z,r,h of 2 units each: [z0 z1 r0 r1 h0 h1]
    ParamArray kernel = new ParamArray(Shape.of(1, 6), new float[] {1, 2, 3, 4, 5, 6});
    ParamArray recurrent = new ParamArray(Shape.of(2, 6), new float[12]);
    ParamArray bias = new ParamArray(Shape.of(2, 6), new float[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60});
    List<ParamArray> torch = LayerKinds.of(gru).convertParams(gru, in, Framework.KERAS, Framework.TORCH,
        List.of(kernel, recurrent, bias));
    assertThat(torch.get(0).shape()).isEqualTo(Shape.of(6, 1));
    assertThat(torch.get(0).data()).containsExactly(3, 4, 1, 2, 5, 6); // r, z, n
    assertThat(torch.get(2).data()).containsExactly(3, 4, 1, 2, 5, 6); // bias_ih: the first row
    assertThat(torch.get(3).data()).containsExactly(30, 40, 10, 20, 50, 60); // bias_hh: the second
  }

  @Test
  void lstmBiasIsTheSumOfPytorchsTwo() {
    Recurrent lstm = keras(Recurrent.Cell.LSTM, false, false);
    List<Shape> in = List.of(Shape.of(5, 3));
    List<ParamArray> torch = random(lstm.params(in, Framework.TORCH), Framework.TORCH);
    List<ParamArray> back = LayerKinds.of(lstm).convertParams(lstm, in, Framework.TORCH, Framework.KERAS, torch);
    float[] bias = back.get(2).data();
    for (int i = 0; i < bias.length; i++) {
      assertThat(bias[i]).isEqualTo(torch.get(2).data()[i] + torch.get(3).data()[i]);
    }
    List<ParamArray> again = LayerKinds.of(lstm).convertParams(lstm, in, Framework.KERAS, Framework.TORCH, back);
    assertThat(again.get(3).data()).containsOnly(0f); // bias_hh = 0, bias_ih = the Keras bias
    assertThat(again.get(2).data()).containsExactly(bias);
  }

  @Test
  void kerasToPytorchAndBackIsTheIdentity() {
    for (Recurrent.Cell cell : Recurrent.Cell.values()) {
      for (boolean bi : new boolean[] {false, true}) {
        Recurrent r = keras(cell, cell == Recurrent.Cell.GRU, bi);
        List<Shape> in = List.of(Shape.of(5, 3));
        List<ParamArray> k = random(r.params(in, Framework.KERAS), Framework.KERAS);
        List<ParamArray> t = LayerKinds.of(r).convertParams(r, in, Framework.KERAS, Framework.TORCH, k);
        assertThat(t).hasSameSizeAs(r.params(in, Framework.TORCH));
        List<ParamArray> back = LayerKinds.of(r).convertParams(r, in, Framework.TORCH, Framework.KERAS, t);
        for (int i = 0; i < k.size(); i++) {
          assertThat(back.get(i).shape()).isEqualTo(k.get(i).shape());
          assertThat(back.get(i).data()).as(cell + " bidirectional=" + bi + " tensor " + i)
              .containsExactly(k.get(i).data());
        }
      }
    }
  }

  @Test
  void resetBeforeGruHasNoPytorchForm() {
    Recurrent gru = keras(Recurrent.Cell.GRU, false, false);
    assertThat(LayerKinds.of(gru).conversionRefused(gru, Framework.TORCH)).hasValue(RecurrentKind.RESET_BEFORE);
    assertThat(LayerKinds.of(keras(Recurrent.Cell.GRU, true, false))
        .conversionRefused(keras(Recurrent.Cell.GRU, true, false), Framework.TORCH)).isEmpty();
  }
}
