package dev.sequent.dsl.torch;

import dev.sequent.model.layers.TensorOperandKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x op self.name} in a PyTorch {@code forward}, {@code self.name} an {@code nn.Parameter} or a
 * buffer of the module ({@code register_buffer}) of shape {@code shape}, broadcast against the sample
 * as NumPy does (aligned to the last axes; leading axes of size 1 beyond the sample's rank allowed).
 * Its state_dict entry is {@code <layer>.<name>}. Code, not a module.
 *
 * <pre>{@code @TensorOperand(op = "*", name = "layer_scale", shape = {16, 1, 1}) Layer scaled();   // [16, 8, 8]}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface TensorOperand {
  /** {@code "+"}, {@code "-"}, {@code "*"} (the default: a learned scale) or {@code "/"}. */
  String op() default TensorOperandKind.OP;

  /** The tensor's name in its module, without dots. */
  String name();

  int[] shape();

  /** A parameter (true) or a buffer. */
  boolean trainable() default TensorOperandKind.TRAINABLE;

  /** Whether the held tensor is the left operand ({@code self.offset - x}). */
  boolean tensorFirst() default TensorOperandKind.TENSOR_FIRST;
}
