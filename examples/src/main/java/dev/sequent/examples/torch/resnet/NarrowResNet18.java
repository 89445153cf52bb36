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
 * {@link ResNet18} at a sixteenth of its width (4 to 32 channels, 10 classes), the model
 * fixtures/blocks builds from torchvision's own {@code ResNet} and {@code BasicBlock} classes so
 * that its random-init {@code state_dict} is small enough to commit (resnet18's is 45 MB).
 */
@Module(input = {3, 32, 32}, name = "ResNet")
public interface NarrowResNet18 {
  @Conv2d(out = 4, kernel = 7, stride = 2, padding = 3, bias = false) Layer conv1();
  @BatchNorm2d Layer bn1();
  @ReLU Layer relu();
  @MaxPool2d(kernel = 3, stride = 2, padding = 1) Layer maxpool();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 4") Layer layer1();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 8", first = "stride = 2") Layer layer2();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 16", first = "stride = 2") Layer layer3();
  @Stage(block = BasicBlock.class, count = 2, args = "planes = 32", first = "stride = 2") Layer layer4();
  @AdaptiveAvgPool2d(1) Layer avgpool();
  @Flatten @Functional Layer flatten();   // torch.flatten(x, 1) in forward()
  @Linear(out = 10) Layer fc();
}
