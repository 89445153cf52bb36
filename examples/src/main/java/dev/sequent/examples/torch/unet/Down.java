package dev.sequent.examples.torch.unet;

import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.MaxPool2d;

/** One level down: {@code nn.Sequential(nn.MaxPool2d(2), DoubleConv(in, out))}. */
@Block(params = {"int out"}, sequential = true)
public interface Down {
  @MaxPool2d(2) Layer pool();
  @Use(value = DoubleConv.class, args = "out = out") Layer conv();
}
