package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Upsample;

/**
 * fixtures/upsampling's {@code torch_nearest_bilinear}: nearest upsampling by 2, then bilinear
 * (half-pixel centers, {@code align_corners=False}) by (2, 3), between convolutions. Its Keras twin
 * has UpSampling2D layers; {@code Upsample(alignCorners = true)} would have none.
 */
@Sequential(input = {3, 8, 8})
public interface TorchUpsample {
  @Conv2d(out = 8, kernel = 3, padding = 1)                Layer conv1();
  @Upsample(scaleFactor = 2)                               Layer up1();
  @Conv2d(out = 8, kernel = 3, padding = 1)                Layer conv2();
  @Upsample(scaleFactor = {2, 3}, mode = "bilinear")       Layer up2();
  @Conv2d(out = 4, kernel = 3, stride = 2, padding = 1)    Layer conv3();
}
