package dev.sequent.model.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.layers.MultiHeadAttention.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The weight conventions, element by element: Keras' {@code query/kernel (E, heads, d)} is rows
 * {@code h*d + j} of PyTorch's {@code in_proj_weight} transposed (query, key, value blocks in that
 * order), the biases pack alike, {@code attention_output/kernel (heads, d, E)} is
 * {@code out_proj.weight} transposed; kdim/vdim layers keep {@code q/k/v_proj_weight} apart. The
 * rule itself was checked by running converted weights in real torch and Keras layers
 * (fixtures/attention/versions.json {@code keras_self_in_torch_max_abs_diff},
 * {@code torch_self_in_keras_max_abs_diff}); fixtures/check_attention_writes.py checks Sequent's files.
 */
class MultiHeadAttentionWeightsTest {
  private static final int E = 8;
  private static final int H = 2;
  private static final int D = 4;

  private static ParamArray distinct(int base, int... dims) {
    Shape s = Shape.of(dims);
    float[] v = new float[(int) s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = base + i;
    }
    return new ParamArray(s, v);
  }

  private static List<ParamArray> keras(int ek, int ev) {
    return List.of(distinct(0, E, H, D), distinct(1000, H, D), distinct(2000, ek, H, D), distinct(3000, H, D),
        distinct(4000, ev, H, D), distinct(5000, H, D), distinct(6000, H, D, E), distinct(7000, E));
  }

  private static MultiHeadAttention torchLayer(int kdim, int vdim) {
    return new MultiHeadAttention(Framework.TORCH, H, 0, 0, true, 0, E, kdim, vdim, false,
        List.of(Role.QUERY, Role.KEY, Role.VALUE), true);
  }

  @Test
  void packedProjectionsAreTheKerasKernelsTransposed() {
    MultiHeadAttention a = torchLayer(0, 0);
    List<Shape> in = List.of(Shape.of(5, E), Shape.of(7, E), Shape.of(7, E));
    List<ParamArray> k = keras(E, E);
    List<ParamArray> t = LayerKinds.of(a).convertParams(a, in, Framework.KERAS, Framework.TORCH, k);
    assertThat(t.stream().map(ParamArray::shape)).containsExactly(Shape.of(3 * E, E), Shape.of(3 * E), Shape.of(E, E),
        Shape.of(E));
    float[] w = t.get(0).data();
    for (int p = 0; p < 3; p++) {
      float[] kernel = k.get(2 * p).data();
      for (int h = 0; h < H; h++) {
        for (int j = 0; j < D; j++) {
          for (int c = 0; c < E; c++) {
            assertThat(w[(p * E + h * D + j) * E + c]).isEqualTo(kernel[(c * H + h) * D + j]);
          }
          assertThat(t.get(1).data()[p * E + h * D + j]).isEqualTo(k.get(2 * p + 1).data()[h * D + j]);
        }
      }
    }
    for (int o = 0; o < E; o++) {
      for (int r = 0; r < H * D; r++) {
        assertThat(t.get(2).data()[o * E + r]).isEqualTo(k.get(6).data()[r * E + o]);
      }
    }
    assertThat(t.get(3).data()).isEqualTo(k.get(7).data());
    List<ParamArray> back = LayerKinds.of(a).convertParams(a, in, Framework.TORCH, Framework.KERAS, t);
    for (int i = 0; i < k.size(); i++) {
      assertThat(back.get(i).shape()).isEqualTo(k.get(i).shape());
      assertThat(back.get(i).data()).isEqualTo(k.get(i).data());
    }
  }

  @Test
  void kdimAndVdimKeepThreeProjections() {
    MultiHeadAttention a = torchLayer(6, 5);
    List<Shape> in = List.of(Shape.of(5, E), Shape.of(7, 6), Shape.of(7, 5));
    assertThat(a.params(in).stream().map(p -> p.torchName() + p.torchShape())).containsExactly("q_proj_weight[8,8]",
        "k_proj_weight[8,6]", "v_proj_weight[8,5]", "in_proj_bias[24]", "out_proj.weight[8,8]", "out_proj.bias[8]");
    List<ParamArray> k = keras(6, 5);
    List<ParamArray> t = LayerKinds.of(a).convertParams(a, in, Framework.KERAS, Framework.TORCH, k);
    for (int r = 0; r < E; r++) {
      for (int c = 0; c < 6; c++) {
        assertThat(t.get(1).data()[r * 6 + c]).isEqualTo(k.get(2).data()[c * E + r]);
      }
    }
    List<ParamArray> back = LayerKinds.of(a).convertParams(a, in, Framework.TORCH, Framework.KERAS, new ArrayList<>(t));
    for (int i = 0; i < k.size(); i++) {
      assertThat(back.get(i).data()).isEqualTo(k.get(i).data());
    }
  }

  @Test
  void aKerasLayerWithoutATorchFormSaysWhy() {
    MultiHeadAttention cross = new MultiHeadAttention(Framework.KERAS, 2, 3, 5, true, 4, 0, 0, 0, false,
        List.of(Role.QUERY, Role.VALUE), true);
    List<Shape> in = List.of(Shape.of(5, 8), Shape.of(7, 6));
    assertThat(LayerKinds.of(cross).conversionRefused(cross, in, Framework.TORCH)).hasValueSatisfying(why ->
        assertThat(why).contains("one head size, embed_dim / num_heads").contains("key_dim=3, value_dim=5"));
    MultiHeadAttention twin = new MultiHeadAttention(Framework.KERAS, 2, 4, 4, true, 0, 0, 0, 0, false,
        List.of(Role.QUERY, Role.VALUE), true);
    assertThat(LayerKinds.of(twin).conversionRefused(twin, List.of(Shape.of(5, 8), Shape.of(7, 6)), Framework.TORCH))
        .isEmpty();
  }
}
