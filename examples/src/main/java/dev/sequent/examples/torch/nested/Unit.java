package dev.sequent.examples.torch.nested;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Stage;
import dev.sequent.dsl.Use;

/** A residual unit, {@code x + self.body(x)}, whose body is {@code nn.Sequential(ConvBN(c), ConvBN(c))}. */
@Block(params = {"int c"})
public interface Unit {
  @Stage({@Use(value = ConvBN.class, args = "c = c"), @Use(value = ConvBN.class, args = "c = c")}) Layer body();
  @Add(from = {"input", "body"}) Layer add();
}
