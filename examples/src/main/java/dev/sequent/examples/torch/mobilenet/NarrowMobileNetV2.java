package dev.sequent.examples.torch.mobilenet;

import dev.sequent.dsl.Functional;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Stage;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.AdaptiveAvgPool2d;
import dev.sequent.dsl.torch.Flatten;

/**
 * {@link MobileNetV2} as torchvision builds it with {@code MobileNetV2(width_mult=0.15, num_classes=10)}
 * (channels 8 to 48, rounded to multiples of 8 by {@code _make_divisible}; the last 1x1 stays 1280),
 * at 32x32: the same blocks, with a {@code state_dict} small enough to commit (fixtures/blocks).
 */
@Module(input = {3, 32, 32}, name = "MobileNetV2")
public interface NarrowMobileNetV2 {
  @Stage({   // features: the stem, 17 inverted residual blocks (t, c, n, s of the paper's table), the 1x1 to 1280
      @Use(value = Conv2dNormActivation.class, args = "out = 8, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 8, t = 1"),
      @Use(value = InvertedResidual.class, args = "oup = 8, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 8"),
      @Use(value = InvertedResidual.class, args = "oup = 8, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 8"),
      @Use(value = InvertedResidual.class, args = "oup = 8"),
      @Use(value = InvertedResidual.class, args = "oup = 16, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 16"),
      @Use(value = InvertedResidual.class, args = "oup = 16"),
      @Use(value = InvertedResidual.class, args = "oup = 16"),
      @Use(value = InvertedResidual.class, args = "oup = 16"),
      @Use(value = InvertedResidual.class, args = "oup = 16"),
      @Use(value = InvertedResidual.class, args = "oup = 16"),
      @Use(value = InvertedResidual.class, args = "oup = 24, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 24"),
      @Use(value = InvertedResidual.class, args = "oup = 24"),
      @Use(value = InvertedResidual.class, args = "oup = 48"),
      @Use(value = Conv2dNormActivation.class, args = "out = 1280, kernel = 1")}) Layer features();
  @AdaptiveAvgPool2d(1) @Functional Layer pool();   // nn.functional.adaptive_avg_pool2d(x, (1, 1)) in forward()
  @Flatten @Functional Layer flatten();             // torch.flatten(x, 1)
  @Use(value = Classifier.class, args = "classes = 10") Layer classifier();
}
