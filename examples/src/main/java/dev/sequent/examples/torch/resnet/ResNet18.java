package dev.sequent.examples.torch.resnet;

import dev.sequent.dsl.Functional;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Stage;
import dev.sequent.dsl.torch.AdaptiveAvgPool2d;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MaxPool2d;
import dev.sequent.dsl.torch.ReLU;

/**
 * torchvision's {@code models.resnet18()} at 64x64: its {@code state_dict} names
 * ({@code layer2.0.downsample.0.weight}) come from the structure, with no renaming.
 */
@Module(input = {3, 64, 64}, name = "ResNet")
public interface ResNet18 {
  @Conv2d(out = 64, kernel = 7, stride = 2, padding = 3, bias = false) Layer conv1();
  @BatchNorm2d Layer bn1();
  @ReLU Layer relu();
  @MaxPool2d(kernel = 3, stride = 2, padding = 1) Layer maxpool();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 64") Layer layer1();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 128", first = "stride = 2") Layer layer2();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 256", first = "stride = 2") Layer layer3();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 512", first = "stride = 2") Layer layer4();
  @AdaptiveAvgPool2d(1) Layer avgpool();
  @Flatten @Functional Layer flatten();   // torch.flatten(x, 1) in forward()
  @Linear(out = 1000) Layer fc();
}
