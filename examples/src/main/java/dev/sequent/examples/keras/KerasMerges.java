package dev.sequent.examples.keras;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.From;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.keras.Average;
import dev.sequent.dsl.keras.Concatenate;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Maximum;
import dev.sequent.dsl.keras.Minimum;
import dev.sequent.dsl.keras.Multiply;
import dev.sequent.dsl.keras.Subtract;

/**
 * Three convolution branches meeting in every Keras merge: the Functional model
 * {@code fixtures/make_merge_fixtures.py} saves as {@code fixtures/merges/keras_merges.keras},
 * whose weights it loads by layer name.
 */
@Module(input = {6, 6, 3})
public interface KerasMerges {
  @Conv2D(filters = 4, kernelSize = 3, padding = "same") @From("input")                     Layer a();
  @Conv2D(filters = 4, kernelSize = 1) @From("input")                                       Layer b();
  @Conv2D(filters = 4, kernelSize = 3, padding = "same", activation = "relu") @From("input") Layer c();
  @Subtract(from = {"a", "b"}) @Name("sub")                                                 Layer difference();
  @Multiply(from = {"a", "b", "c"}) @Name("mul")                                            Layer product();
  @Average(from = {"a", "b", "c"}) @Name("avg")                                             Layer mean();
  @Maximum(from = {"a", "b"}) @Name("max")                                                  Layer larger();
  @Minimum(from = {"b", "c"}) @Name("min")                                                  Layer smaller();
  @Add(from = {"sub", "mul"}) @Name("add")                                                  Layer sum();
  @Concatenate(from = {"add", "avg", "max", "min"}) @Name("cat_channels")                   Layer channels(); // 6x6x16
  @Concatenate(from = {"cat_channels", "cat_channels"}, axis = 1) @Name("cat_height")       Layer rows();     // 12x6x16
  @Conv2D(filters = 5, kernelSize = 3) @Name("out")                                         Layer out();      // 10x4x5
}
