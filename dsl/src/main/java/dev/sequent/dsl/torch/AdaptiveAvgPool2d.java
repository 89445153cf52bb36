package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.AdaptiveAvgPool2d(output_size)}: average pooling of a channels-first image {@code (C, H, W)} to
 * {@code (C, outH, outW)}, windows from {@code floor(i*H/outH)} to {@code ceil((i+1)*H/outH)}.
 *
 * <pre>{@code
 * @AdaptiveAvgPool2d(1)      Layer pool();  // (C, H, W) -> (C, 1, 1), as torchvision's heads
 * @AdaptiveAvgPool2d({3, 0}) Layer rows();  // (C, H, W) -> (C, 3, W): 0 is None, the input size
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AdaptiveAvgPool2d {
  /** output_size: {@code {n}} or {@code {outH, outW}}; 0 keeps that input size (None). */
  int[] value();
}
