package dev.sequent.bench;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.From;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.AvgPool2d;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MaxPool2d;
import dev.sequent.dsl.torch.ReLU;

/**
 * torchvision's {@code resnet18()} at 64x64 input, layer for layer in the order of its
 * {@code state_dict} (so weights map by order): the stem, four stages of two BasicBlocks (the
 * first block of stages 2-4 with its 1x1 stride-2 downsample), the pooling and the 1000-way head.
 * torchvision pools with {@code AdaptiveAvgPool2d(1)}; at 64x64 the last feature map is 2x2, so
 * {@code AvgPool2d(2)} is the same operation. Until nested modules land (issue 12) the blocks are
 * spelled out.
 */
@Module(input = {3, 64, 64})
public interface ResNet18 {
  @Conv2d(out = 64, kernel = 7, stride = 2, padding = 3, bias = false) Layer conv1();
  @BatchNorm2d Layer bn1();
  @ReLU Layer relu();
  @MaxPool2d(value = 3, stride = 2, padding = 1) Layer maxpool();
  // layer1.0
  @Conv2d(out = 64, kernel = 3, stride = 1, padding = 1, bias = false) Layer l1b0conv1();
  @BatchNorm2d Layer l1b0bn1();
  @ReLU Layer l1b0relu1();
  @Conv2d(out = 64, kernel = 3, padding = 1, bias = false) Layer l1b0conv2();
  @BatchNorm2d Layer l1b0bn2();
  @Add(from = {"l1b0bn2", "maxpool"}) Layer l1b0add();
  @ReLU Layer l1b0out();
  // layer1.1
  @Conv2d(out = 64, kernel = 3, stride = 1, padding = 1, bias = false) Layer l1b1conv1();
  @BatchNorm2d Layer l1b1bn1();
  @ReLU Layer l1b1relu1();
  @Conv2d(out = 64, kernel = 3, padding = 1, bias = false) Layer l1b1conv2();
  @BatchNorm2d Layer l1b1bn2();
  @Add(from = {"l1b1bn2", "l1b0out"}) Layer l1b1add();
  @ReLU Layer l1b1out();
  // layer2.0
  @Conv2d(out = 128, kernel = 3, stride = 2, padding = 1, bias = false) Layer l2b0conv1();
  @BatchNorm2d Layer l2b0bn1();
  @ReLU Layer l2b0relu1();
  @Conv2d(out = 128, kernel = 3, padding = 1, bias = false) Layer l2b0conv2();
  @BatchNorm2d Layer l2b0bn2();
  @From("l1b1out") @Conv2d(out = 128, kernel = 1, stride = 2, bias = false) Layer l2b0down();
  @BatchNorm2d Layer l2b0downbn();
  @Add(from = {"l2b0bn2", "l2b0downbn"}) Layer l2b0add();
  @ReLU Layer l2b0out();
  // layer2.1
  @Conv2d(out = 128, kernel = 3, stride = 1, padding = 1, bias = false) Layer l2b1conv1();
  @BatchNorm2d Layer l2b1bn1();
  @ReLU Layer l2b1relu1();
  @Conv2d(out = 128, kernel = 3, padding = 1, bias = false) Layer l2b1conv2();
  @BatchNorm2d Layer l2b1bn2();
  @Add(from = {"l2b1bn2", "l2b0out"}) Layer l2b1add();
  @ReLU Layer l2b1out();
  // layer3.0
  @Conv2d(out = 256, kernel = 3, stride = 2, padding = 1, bias = false) Layer l3b0conv1();
  @BatchNorm2d Layer l3b0bn1();
  @ReLU Layer l3b0relu1();
  @Conv2d(out = 256, kernel = 3, padding = 1, bias = false) Layer l3b0conv2();
  @BatchNorm2d Layer l3b0bn2();
  @From("l2b1out") @Conv2d(out = 256, kernel = 1, stride = 2, bias = false) Layer l3b0down();
  @BatchNorm2d Layer l3b0downbn();
  @Add(from = {"l3b0bn2", "l3b0downbn"}) Layer l3b0add();
  @ReLU Layer l3b0out();
  // layer3.1
  @Conv2d(out = 256, kernel = 3, stride = 1, padding = 1, bias = false) Layer l3b1conv1();
  @BatchNorm2d Layer l3b1bn1();
  @ReLU Layer l3b1relu1();
  @Conv2d(out = 256, kernel = 3, padding = 1, bias = false) Layer l3b1conv2();
  @BatchNorm2d Layer l3b1bn2();
  @Add(from = {"l3b1bn2", "l3b0out"}) Layer l3b1add();
  @ReLU Layer l3b1out();
  // layer4.0
  @Conv2d(out = 512, kernel = 3, stride = 2, padding = 1, bias = false) Layer l4b0conv1();
  @BatchNorm2d Layer l4b0bn1();
  @ReLU Layer l4b0relu1();
  @Conv2d(out = 512, kernel = 3, padding = 1, bias = false) Layer l4b0conv2();
  @BatchNorm2d Layer l4b0bn2();
  @From("l3b1out") @Conv2d(out = 512, kernel = 1, stride = 2, bias = false) Layer l4b0down();
  @BatchNorm2d Layer l4b0downbn();
  @Add(from = {"l4b0bn2", "l4b0downbn"}) Layer l4b0add();
  @ReLU Layer l4b0out();
  // layer4.1
  @Conv2d(out = 512, kernel = 3, stride = 1, padding = 1, bias = false) Layer l4b1conv1();
  @BatchNorm2d Layer l4b1bn1();
  @ReLU Layer l4b1relu1();
  @Conv2d(out = 512, kernel = 3, padding = 1, bias = false) Layer l4b1conv2();
  @BatchNorm2d Layer l4b1bn2();
  @Add(from = {"l4b1bn2", "l4b0out"}) Layer l4b1add();
  @ReLU Layer l4b1out();
  @AvgPool2d(2) Layer avgpool();
  @Flatten Layer flat();
  @Linear(out = 1000) Layer fc();
}
