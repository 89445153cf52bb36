package dev.sequent.dsl.torch;

import dev.sequent.model.layers.ConcatenateKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code torch.cat((a, b), dim=1)} in a forward: the layers named in {@code from} joined
 * along {@code dim} (batch axis 0, negative from the end). The default is the channel axis of
 * {@code (N,C,H,W)}, not {@code torch.cat}'s own 0, the batch axis, which a model cannot join.
 *
 * <p>Example: {@code @Cat(from = {"branch1", "branch2"}) Layer joined();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Cat {
  /** The layers to join (or {@code "input"}). */
  String[] from();

  /** The dimension to join along, batch dimension counted. */
  int dim() default ConcatenateKind.TORCH_DIM;
}
