package dev.sequent.examples.torch.mobilenet;

import dev.sequent.dsl.Functional;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Stage;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.AdaptiveAvgPool2d;
import dev.sequent.dsl.torch.Flatten;

/**
 * torchvision's {@code models.mobilenet_v2()} at 224x224: {@code features.0.0.weight},
 * {@code features.2.conv.1.0.weight} (the depthwise convolution), {@code classifier.1.weight}, all
 * named by the structure.
 */
@Module(input = {3, 224, 224}, name = "MobileNetV2")
public interface MobileNetV2 {
  @Stage({   // features: the stem, 17 inverted residual blocks (t, c, n, s of the paper's table), the 1x1 to 1280
      @Use(value = Conv2dNormActivation.class, args = "out = 32, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 16, t = 1"),
      @Use(value = InvertedResidual.class, args = "oup = 24, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 24"),
      @Use(value = InvertedResidual.class, args = "oup = 32, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 32"),
      @Use(value = InvertedResidual.class, args = "oup = 32"),
      @Use(value = InvertedResidual.class, args = "oup = 64, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 64"),
      @Use(value = InvertedResidual.class, args = "oup = 64"),
      @Use(value = InvertedResidual.class, args = "oup = 64"),
      @Use(value = InvertedResidual.class, args = "oup = 96"),
      @Use(value = InvertedResidual.class, args = "oup = 96"),
      @Use(value = InvertedResidual.class, args = "oup = 96"),
      @Use(value = InvertedResidual.class, args = "oup = 160, stride = 2"),
      @Use(value = InvertedResidual.class, args = "oup = 160"),
      @Use(value = InvertedResidual.class, args = "oup = 160"),
      @Use(value = InvertedResidual.class, args = "oup = 320"),
      @Use(value = Conv2dNormActivation.class, args = "out = 1280, kernel = 1")}) Layer features();
  @AdaptiveAvgPool2d(1) @Functional Layer pool();   // nn.functional.adaptive_avg_pool2d(x, (1, 1)) in forward()
  @Flatten @Functional Layer flatten();             // torch.flatten(x, 1)
  @Use(value = Classifier.class, args = "classes = 1000") Layer classifier();
}
