package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Flatten;
import dev.sequent.dsl.keras.MaxPooling2D;

/**
 * The Keras MNIST CNN on channels-last 28x28x1 images. Its Flatten orders features (h, w, c), so
 * moving its Dense weights to the PyTorch twin {@link dev.sequent.examples.torch.TorchCnn} needs a
 * row permutation, which Sequent applies when loading.
 */
@Sequential(input = {28, 28, 1})
public interface KerasCnn {
  @Conv2D(filters = 32, kernelSize = 3, activation = "relu") Layer conv2d();
  @MaxPooling2D(poolSize = 2) @Name("max_pooling2d")          Layer pool();
  @Flatten                                                    Layer flatten();
  @Dense(units = 10, activation = "softmax")                  Layer dense();
}
