package dev.sequent.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression language of block arguments, {@code @Bind} and {@code @If}. */
class BlockExpressionTest {
  private static final Map<String, Object> ARGS = Map.of("planes", 64, "stride", 2, "wide", true);

  private static Object eval(String text) {
    return BlockExpression.evaluate(text, ARGS, () -> Shape.of(32, 8, 8));
  }

  @Test
  void arithmeticComparisonsAndLogicWithJavasPrecedence() {
    assertThat(eval("planes * 4 + 1")).isEqualTo(257);
    assertThat(eval("(planes + 1) * 2")).isEqualTo(130);
    assertThat(eval("-stride + 7 / 2 % 2")).isEqualTo(-1);
    assertThat(eval("stride != 1 || in[0] != planes")).isEqualTo(true);
    assertThat(eval("stride == 2 && !wide")).isEqualTo(false);
    assertThat(eval("in[-1] <= 8 ? planes : 0")).isEqualTo(64);
    assertThat(eval("in[1] >= 9")).isEqualTo(false);
  }

  @Test
  void theInputShapeIsAskedForOnlyWhenUsed() {
    assertThat(BlockExpression.evaluate("planes", ARGS, () -> {
      throw new AssertionError("in[] not used");
    })).isEqualTo(64);
  }

  @Test
  void typeErrorsNameBothSides() {
    assertThatThrownBy(() -> eval("planes + wide")).hasMessage("+ needs an int but got true (boolean) in \"planes + wide\"");
    assertThatThrownBy(() -> eval("planes || wide")).hasMessage("|| needs a boolean but got 64 (int) in \"planes || wide\"");
    assertThatThrownBy(() -> eval("planes == wide")).hasMessage("cannot compare int with boolean in \"planes == wide\"");
    assertThatThrownBy(() -> eval("wide ? 1 : false")).hasMessageContaining("different types (int and boolean)");
  }

  @Test
  void unknownNamesAndSyntaxErrors() {
    assertThatThrownBy(() -> eval("plane * 2")).hasMessageContaining("no parameter named plane")
        .hasMessageContaining("did you mean \"planes\"?");
    assertThatThrownBy(() -> eval("1.5")).hasMessage("\"1.5\" is not an int (block values are int or boolean) in \"1.5\"");
    assertThatThrownBy(() -> eval("(planes")).hasMessageContaining("expected \")\"");
    assertThatThrownBy(() -> eval("planes planes")).hasMessageContaining("unexpected \"planes\"");
    assertThatThrownBy(() -> eval("in[3]")).hasMessage("in[3] is outside the input shape [32,8,8]");
    assertThatThrownBy(() -> eval("planes / (stride - 2)")).hasMessageContaining("division by zero");
  }

  @Test
  void assignmentsAndDeclarations() {
    assertThat(BlockExpression.assignments("planes = 128, stride = stride == 1 ? 2 : 1")).containsExactly(
        new BlockExpression.Assignment("planes", "128"),
        new BlockExpression.Assignment("stride", "stride == 1 ? 2 : 1"));
    assertThat(BlockExpression.assignments(" ")).isEmpty();
    assertThatThrownBy(() -> BlockExpression.assignments("planes")).hasMessage("expected name = expression, found \"planes\"");
    assertThat(BlockExpression.declaration("int stride = 1"))
        .isEqualTo(new BlockExpression.Declaration("int", "stride", "1"));
    assertThat(BlockExpression.declaration("boolean wide")).isEqualTo(new BlockExpression.Declaration("boolean", "wide", null));
    assertThatThrownBy(() -> BlockExpression.declaration("float rate = 0.5"))
        .hasMessageContaining("declared as \"int name\"");
    assertThat(List.of(BlockExpression.typeOf(1), BlockExpression.typeOf(false))).containsExactly("int", "boolean");
  }
}
