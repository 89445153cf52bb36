package dev.sequent.model.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Framework;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain-Java conversions kinds build their parameter conversions from, and the 1:1 default. */
class ParamConversionTest {
  private static ParamArray iota(int... dims) {
    Shape s = Shape.of(dims);
    float[] v = new float[(int) s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return new ParamArray(s, v);
  }

  @Test
  void transposeAndPermute() {
    ParamArray m = iota(2, 3); // [[0,1,2],[3,4,5]]
    ParamArray t = ParamConversion.transpose(m);
    assertThat(t.shape()).isEqualTo(Shape.of(3, 2));
    assertThat(t.data()).containsExactly(0, 3, 1, 4, 2, 5);
    ParamArray hwio = iota(2, 2, 3, 4); // (kh, kw, in, out)
    ParamArray oihw = ParamConversion.permute(hwio, 3, 2, 0, 1);
    assertThat(oihw.shape()).isEqualTo(Shape.of(4, 3, 2, 2));
    // oihw[o][i][h][w] = hwio[h][w][i][o]: o=1, i=2, h=1, w=0 -> ((1*2+0)*3+2)*4+1 = 33
    assertThat(oihw.data()[((1 * 3 + 2) * 2 + 1) * 2]).isEqualTo(33);
    assertThat(ParamConversion.permute(oihw, 2, 3, 1, 0).data()).containsExactly(hwio.data());
  }

  @Test
  void blocksSumsSlicesAndStacks() {
    ParamArray gates = iota(6, 2); // three blocks of 2 rows
    assertThat(ParamConversion.permuteBlocks(gates, 1, 0, 2).data())
        .containsExactly(4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11);
    ParamArray a = iota(3);
    assertThat(ParamConversion.sum(a, a).data()).containsExactly(0, 2, 4);
    ParamArray two = ParamConversion.stack(List.of(a, ParamConversion.sum(a, a)));
    assertThat(two.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(ParamConversion.slice(two, 1).data()).containsExactly(0, 2, 4);
  }

  @Test
  void theDefaultConvertsEachPairedTensorByItsLayout() {
    List<ParamSpec> specs = List.of(
        new ParamSpec("kernel", "weight", Shape.of(2, 3), Shape.of(3, 2), true, ParamSpec.Layout.DENSE_TRANSPOSED),
        ParamSpec.same("bias", "bias", Shape.of(3), true));
    List<ParamArray> torch = ParamConversion.perParameter(specs, Framework.KERAS, Framework.TORCH,
        List.of(iota(2, 3), iota(3)));
    assertThat(torch.get(0).shape()).isEqualTo(Shape.of(3, 2));
    assertThat(torch.get(0).data()).containsExactly(0, 3, 1, 4, 2, 5);
    assertThat(torch.get(1).data()).containsExactly(0, 1, 2);
    assertThatThrownBy(() -> ParamConversion.perParameter(List.of(ParamSpec.own("w", Shape.of(3), true)),
        Framework.KERAS, Framework.TORCH, List.of(iota(3))))
        .hasMessageContaining("converted by its layer's kind");
  }
}
