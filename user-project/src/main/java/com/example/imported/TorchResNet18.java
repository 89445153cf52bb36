package com.example.imported;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.From;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.torch.AdaptiveAvgPool2d;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MaxPool2d;
import dev.sequent.dsl.torch.ReLU;

/**
 * narrow_resnet18, written by {@code ./sequent import} from narrow_resnet18.pt2.
 * Each layer has the file's name, so {@code TorchResNet18Net.create().loadWeights(file)} pairs every tensor by name.
 */
@Module(input = {3, 32, 32}, name = "narrow_resnet18")
public interface TorchResNet18 {
  @Conv2d(in = 3, out = 4, kernel = 7, stride = 2, padding = 3, bias = false) Layer conv1();
  @BatchNorm2d(numFeatures = 4) Layer bn1();
  @ReLU Layer relu_();
  @MaxPool2d(kernel = 3, stride = 2, padding = 1) Layer max_pool2d();
  @Conv2d(in = 4, out = 4, kernel = 3, padding = 1, bias = false) @Name("layer1.0.conv1") Layer layer1_0_conv1();
  @BatchNorm2d(numFeatures = 4) @Name("layer1.0.bn1") Layer layer1_0_bn1();
  @ReLU Layer relu__1();
  @Conv2d(in = 4, out = 4, kernel = 3, padding = 1, bias = false) @Name("layer1.0.conv2") Layer layer1_0_conv2();
  @BatchNorm2d(numFeatures = 4) @Name("layer1.0.bn2") Layer layer1_0_bn2();
  @Add(from = {"layer1.0.bn2", "max_pool2d"}) Layer add_();
  @ReLU Layer relu__2();
  @Conv2d(in = 4, out = 4, kernel = 3, padding = 1, bias = false) @Name("layer1.1.conv1") Layer layer1_1_conv1();
  @BatchNorm2d(numFeatures = 4) @Name("layer1.1.bn1") Layer layer1_1_bn1();
  @ReLU Layer relu__3();
  @Conv2d(in = 4, out = 4, kernel = 3, padding = 1, bias = false) @Name("layer1.1.conv2") Layer layer1_1_conv2();
  @BatchNorm2d(numFeatures = 4) @Name("layer1.1.bn2") Layer layer1_1_bn2();
  @Add(from = {"layer1.1.bn2", "relu__2"}) Layer add__1();
  @ReLU Layer relu__4();
  @Conv2d(in = 4, out = 8, kernel = 3, stride = 2, padding = 1, bias = false)
  @Name("layer2.0.conv1") Layer layer2_0_conv1();
  @BatchNorm2d(numFeatures = 8) @Name("layer2.0.bn1") Layer layer2_0_bn1();
  @ReLU Layer relu__5();
  @Conv2d(in = 8, out = 8, kernel = 3, padding = 1, bias = false) @Name("layer2.0.conv2") Layer layer2_0_conv2();
  @BatchNorm2d(numFeatures = 8) @Name("layer2.0.bn2") Layer layer2_0_bn2();
  @Conv2d(in = 4, out = 8, kernel = 1, stride = 2, paddingMode = "valid", bias = false)
  @From("relu__4") @Name("layer2.0.downsample.0") Layer layer2_0_downsample_0();
  @BatchNorm2d(numFeatures = 8) @Name("layer2.0.downsample.1") Layer layer2_0_downsample_1();
  @Add(from = {"layer2.0.bn2", "layer2.0.downsample.1"}) Layer add__2();
  @ReLU Layer relu__6();
  @Conv2d(in = 8, out = 8, kernel = 3, padding = 1, bias = false) @Name("layer2.1.conv1") Layer layer2_1_conv1();
  @BatchNorm2d(numFeatures = 8) @Name("layer2.1.bn1") Layer layer2_1_bn1();
  @ReLU Layer relu__7();
  @Conv2d(in = 8, out = 8, kernel = 3, padding = 1, bias = false) @Name("layer2.1.conv2") Layer layer2_1_conv2();
  @BatchNorm2d(numFeatures = 8) @Name("layer2.1.bn2") Layer layer2_1_bn2();
  @Add(from = {"layer2.1.bn2", "relu__6"}) Layer add__3();
  @ReLU Layer relu__8();
  @Conv2d(in = 8, out = 16, kernel = 3, stride = 2, padding = 1, bias = false)
  @Name("layer3.0.conv1") Layer layer3_0_conv1();
  @BatchNorm2d(numFeatures = 16) @Name("layer3.0.bn1") Layer layer3_0_bn1();
  @ReLU Layer relu__9();
  @Conv2d(in = 16, out = 16, kernel = 3, padding = 1, bias = false) @Name("layer3.0.conv2") Layer layer3_0_conv2();
  @BatchNorm2d(numFeatures = 16) @Name("layer3.0.bn2") Layer layer3_0_bn2();
  @Conv2d(in = 8, out = 16, kernel = 1, stride = 2, paddingMode = "valid", bias = false)
  @From("relu__8") @Name("layer3.0.downsample.0") Layer layer3_0_downsample_0();
  @BatchNorm2d(numFeatures = 16) @Name("layer3.0.downsample.1") Layer layer3_0_downsample_1();
  @Add(from = {"layer3.0.bn2", "layer3.0.downsample.1"}) Layer add__4();
  @ReLU Layer relu__10();
  @Conv2d(in = 16, out = 16, kernel = 3, padding = 1, bias = false) @Name("layer3.1.conv1") Layer layer3_1_conv1();
  @BatchNorm2d(numFeatures = 16) @Name("layer3.1.bn1") Layer layer3_1_bn1();
  @ReLU Layer relu__11();
  @Conv2d(in = 16, out = 16, kernel = 3, padding = 1, bias = false) @Name("layer3.1.conv2") Layer layer3_1_conv2();
  @BatchNorm2d(numFeatures = 16) @Name("layer3.1.bn2") Layer layer3_1_bn2();
  @Add(from = {"layer3.1.bn2", "relu__10"}) Layer add__5();
  @ReLU Layer relu__12();
  @Conv2d(in = 16, out = 32, kernel = 3, stride = 2, padding = 1, bias = false)
  @Name("layer4.0.conv1") Layer layer4_0_conv1();
  @BatchNorm2d(numFeatures = 32) @Name("layer4.0.bn1") Layer layer4_0_bn1();
  @ReLU Layer relu__13();
  @Conv2d(in = 32, out = 32, kernel = 3, padding = 1, bias = false) @Name("layer4.0.conv2") Layer layer4_0_conv2();
  @BatchNorm2d(numFeatures = 32) @Name("layer4.0.bn2") Layer layer4_0_bn2();
  @Conv2d(in = 16, out = 32, kernel = 1, stride = 2, paddingMode = "valid", bias = false)
  @From("relu__12") @Name("layer4.0.downsample.0") Layer layer4_0_downsample_0();
  @BatchNorm2d(numFeatures = 32) @Name("layer4.0.downsample.1") Layer layer4_0_downsample_1();
  @Add(from = {"layer4.0.bn2", "layer4.0.downsample.1"}) Layer add__6();
  @ReLU Layer relu__14();
  @Conv2d(in = 32, out = 32, kernel = 3, padding = 1, bias = false) @Name("layer4.1.conv1") Layer layer4_1_conv1();
  @BatchNorm2d(numFeatures = 32) @Name("layer4.1.bn1") Layer layer4_1_bn1();
  @ReLU Layer relu__15();
  @Conv2d(in = 32, out = 32, kernel = 3, padding = 1, bias = false) @Name("layer4.1.conv2") Layer layer4_1_conv2();
  @BatchNorm2d(numFeatures = 32) @Name("layer4.1.bn2") Layer layer4_1_bn2();
  @Add(from = {"layer4.1.bn2", "relu__14"}) Layer add__7();
  @ReLU Layer relu__16();
  @AdaptiveAvgPool2d(1) Layer adaptive_avg_pool2d();
  @Flatten Layer flatten();
  @Linear(in = 32, out = 10) Layer fc();
}
