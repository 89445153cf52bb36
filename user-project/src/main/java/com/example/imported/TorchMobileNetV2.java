package com.example.imported;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.torch.AdaptiveAvgPool2d;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Dropout;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU6;

/**
 * mobilenet_v2, written by {@code ./sequent import} from mobilenet_v2.pt2.
 * Each layer has the file's name, so {@code TorchMobileNetV2Net.create().loadWeights(file)} pairs every tensor by name.
 */
@Module(input = {3, 32, 32}, name = "mobilenet_v2")
public interface TorchMobileNetV2 {
  @Conv2d(in = 3, out = 8, kernel = 3, stride = 2, padding = 1, bias = false)
  @Name("features.0.0") Layer features_0_0();
  @BatchNorm2d(numFeatures = 8) @Name("features.0.1") Layer features_0_1();
  @ReLU6 Layer hardtanh_();
  @Conv2d(in = 8, out = 8, kernel = 3, padding = 1, groups = 8, bias = false)
  @Name("features.1.conv.0.0") Layer features_1_conv_0_0();
  @BatchNorm2d(numFeatures = 8) @Name("features.1.conv.0.1") Layer features_1_conv_0_1();
  @ReLU6 Layer hardtanh__1();
  @Conv2d(in = 8, out = 8, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.1.conv.1") Layer features_1_conv_1();
  @BatchNorm2d(numFeatures = 8) @Name("features.1.conv.2") Layer features_1_conv_2();
  @Add(from = {"hardtanh_", "features.1.conv.2"}) Layer add();
  @Conv2d(in = 8, out = 48, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.2.conv.0.0") Layer features_2_conv_0_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.2.conv.0.1") Layer features_2_conv_0_1();
  @ReLU6 Layer hardtanh__2();
  @Conv2d(in = 48, out = 48, kernel = 3, stride = 2, padding = 1, groups = 48, bias = false)
  @Name("features.2.conv.1.0") Layer features_2_conv_1_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.2.conv.1.1") Layer features_2_conv_1_1();
  @ReLU6 Layer hardtanh__3();
  @Conv2d(in = 48, out = 8, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.2.conv.2") Layer features_2_conv_2();
  @BatchNorm2d(numFeatures = 8) @Name("features.2.conv.3") Layer features_2_conv_3();
  @Conv2d(in = 8, out = 48, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.3.conv.0.0") Layer features_3_conv_0_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.3.conv.0.1") Layer features_3_conv_0_1();
  @ReLU6 Layer hardtanh__4();
  @Conv2d(in = 48, out = 48, kernel = 3, padding = 1, groups = 48, bias = false)
  @Name("features.3.conv.1.0") Layer features_3_conv_1_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.3.conv.1.1") Layer features_3_conv_1_1();
  @ReLU6 Layer hardtanh__5();
  @Conv2d(in = 48, out = 8, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.3.conv.2") Layer features_3_conv_2();
  @BatchNorm2d(numFeatures = 8) @Name("features.3.conv.3") Layer features_3_conv_3();
  @Add(from = {"features.2.conv.3", "features.3.conv.3"}) Layer add_1();
  @Conv2d(in = 8, out = 48, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.4.conv.0.0") Layer features_4_conv_0_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.4.conv.0.1") Layer features_4_conv_0_1();
  @ReLU6 Layer hardtanh__6();
  @Conv2d(in = 48, out = 48, kernel = 3, stride = 2, padding = 1, groups = 48, bias = false)
  @Name("features.4.conv.1.0") Layer features_4_conv_1_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.4.conv.1.1") Layer features_4_conv_1_1();
  @ReLU6 Layer hardtanh__7();
  @Conv2d(in = 48, out = 8, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.4.conv.2") Layer features_4_conv_2();
  @BatchNorm2d(numFeatures = 8) @Name("features.4.conv.3") Layer features_4_conv_3();
  @Conv2d(in = 8, out = 48, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.5.conv.0.0") Layer features_5_conv_0_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.5.conv.0.1") Layer features_5_conv_0_1();
  @ReLU6 Layer hardtanh__8();
  @Conv2d(in = 48, out = 48, kernel = 3, padding = 1, groups = 48, bias = false)
  @Name("features.5.conv.1.0") Layer features_5_conv_1_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.5.conv.1.1") Layer features_5_conv_1_1();
  @ReLU6 Layer hardtanh__9();
  @Conv2d(in = 48, out = 8, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.5.conv.2") Layer features_5_conv_2();
  @BatchNorm2d(numFeatures = 8) @Name("features.5.conv.3") Layer features_5_conv_3();
  @Add(from = {"features.4.conv.3", "features.5.conv.3"}) Layer add_2();
  @Conv2d(in = 8, out = 48, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.6.conv.0.0") Layer features_6_conv_0_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.6.conv.0.1") Layer features_6_conv_0_1();
  @ReLU6 Layer hardtanh__10();
  @Conv2d(in = 48, out = 48, kernel = 3, stride = 2, padding = 1, groups = 48, bias = false)
  @Name("features.6.conv.1.0") Layer features_6_conv_1_0();
  @BatchNorm2d(numFeatures = 48) @Name("features.6.conv.1.1") Layer features_6_conv_1_1();
  @ReLU6 Layer hardtanh__11();
  @Conv2d(in = 48, out = 16, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.6.conv.2") Layer features_6_conv_2();
  @BatchNorm2d(numFeatures = 16) @Name("features.6.conv.3") Layer features_6_conv_3();
  @Conv2d(in = 16, out = 96, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.7.conv.0.0") Layer features_7_conv_0_0();
  @BatchNorm2d(numFeatures = 96) @Name("features.7.conv.0.1") Layer features_7_conv_0_1();
  @ReLU6 Layer hardtanh__12();
  @Conv2d(in = 96, out = 96, kernel = 3, padding = 1, groups = 96, bias = false)
  @Name("features.7.conv.1.0") Layer features_7_conv_1_0();
  @BatchNorm2d(numFeatures = 96) @Name("features.7.conv.1.1") Layer features_7_conv_1_1();
  @ReLU6 Layer hardtanh__13();
  @Conv2d(in = 96, out = 16, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.7.conv.2") Layer features_7_conv_2();
  @BatchNorm2d(numFeatures = 16) @Name("features.7.conv.3") Layer features_7_conv_3();
  @Add(from = {"features.6.conv.3", "features.7.conv.3"}) Layer add_3();
  @Conv2d(in = 16, out = 96, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.8.conv.0.0") Layer features_8_conv_0_0();
  @BatchNorm2d(numFeatures = 96) @Name("features.8.conv.0.1") Layer features_8_conv_0_1();
  @ReLU6 Layer hardtanh__14();
  @Conv2d(in = 96, out = 96, kernel = 3, padding = 1, groups = 96, bias = false)
  @Name("features.8.conv.1.0") Layer features_8_conv_1_0();
  @BatchNorm2d(numFeatures = 96) @Name("features.8.conv.1.1") Layer features_8_conv_1_1();
  @ReLU6 Layer hardtanh__15();
  @Conv2d(in = 96, out = 24, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.8.conv.2") Layer features_8_conv_2();
  @BatchNorm2d(numFeatures = 24) @Name("features.8.conv.3") Layer features_8_conv_3();
  @Conv2d(in = 24, out = 144, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.9.conv.0.0") Layer features_9_conv_0_0();
  @BatchNorm2d(numFeatures = 144) @Name("features.9.conv.0.1") Layer features_9_conv_0_1();
  @ReLU6 Layer hardtanh__16();
  @Conv2d(in = 144, out = 144, kernel = 3, padding = 1, groups = 144, bias = false)
  @Name("features.9.conv.1.0") Layer features_9_conv_1_0();
  @BatchNorm2d(numFeatures = 144) @Name("features.9.conv.1.1") Layer features_9_conv_1_1();
  @ReLU6 Layer hardtanh__17();
  @Conv2d(in = 144, out = 24, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.9.conv.2") Layer features_9_conv_2();
  @BatchNorm2d(numFeatures = 24) @Name("features.9.conv.3") Layer features_9_conv_3();
  @Add(from = {"features.8.conv.3", "features.9.conv.3"}) Layer add_4();
  @Conv2d(in = 24, out = 144, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.10.conv.0.0") Layer features_10_conv_0_0();
  @BatchNorm2d(numFeatures = 144) @Name("features.10.conv.0.1") Layer features_10_conv_0_1();
  @ReLU6 Layer hardtanh__18();
  @Conv2d(in = 144, out = 144, kernel = 3, stride = 2, padding = 1, groups = 144, bias = false)
  @Name("features.10.conv.1.0") Layer features_10_conv_1_0();
  @BatchNorm2d(numFeatures = 144) @Name("features.10.conv.1.1") Layer features_10_conv_1_1();
  @ReLU6 Layer hardtanh__19();
  @Conv2d(in = 144, out = 40, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.10.conv.2") Layer features_10_conv_2();
  @BatchNorm2d(numFeatures = 40) @Name("features.10.conv.3") Layer features_10_conv_3();
  @Conv2d(in = 40, out = 240, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.11.conv.0.0") Layer features_11_conv_0_0();
  @BatchNorm2d(numFeatures = 240) @Name("features.11.conv.0.1") Layer features_11_conv_0_1();
  @ReLU6 Layer hardtanh__20();
  @Conv2d(in = 240, out = 240, kernel = 3, padding = 1, groups = 240, bias = false)
  @Name("features.11.conv.1.0") Layer features_11_conv_1_0();
  @BatchNorm2d(numFeatures = 240) @Name("features.11.conv.1.1") Layer features_11_conv_1_1();
  @ReLU6 Layer hardtanh__21();
  @Conv2d(in = 240, out = 40, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.11.conv.2") Layer features_11_conv_2();
  @BatchNorm2d(numFeatures = 40) @Name("features.11.conv.3") Layer features_11_conv_3();
  @Add(from = {"features.10.conv.3", "features.11.conv.3"}) Layer add_5();
  @Conv2d(in = 40, out = 240, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.12.conv.0.0") Layer features_12_conv_0_0();
  @BatchNorm2d(numFeatures = 240) @Name("features.12.conv.0.1") Layer features_12_conv_0_1();
  @ReLU6 Layer hardtanh__22();
  @Conv2d(in = 240, out = 240, kernel = 3, padding = 1, groups = 240, bias = false)
  @Name("features.12.conv.1.0") Layer features_12_conv_1_0();
  @BatchNorm2d(numFeatures = 240) @Name("features.12.conv.1.1") Layer features_12_conv_1_1();
  @ReLU6 Layer hardtanh__23();
  @Conv2d(in = 240, out = 80, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.12.conv.2") Layer features_12_conv_2();
  @BatchNorm2d(numFeatures = 80) @Name("features.12.conv.3") Layer features_12_conv_3();
  @Conv2d(in = 80, out = 64, kernel = 1, paddingMode = "valid", bias = false)
  @Name("features.13.0") Layer features_13_0();
  @BatchNorm2d(numFeatures = 64) @Name("features.13.1") Layer features_13_1();
  @ReLU6 Layer hardtanh__24();
  @AdaptiveAvgPool2d(1) Layer adaptive_avg_pool2d();
  @Flatten Layer flatten();
  @Dropout(p = 0.2) Layer dropout();
  @Linear(in = 64, out = 10) @Name("classifier.1") Layer classifier_1();
}
