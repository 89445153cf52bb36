package dev.sequent.examples.torch.nested;

import dev.sequent.dsl.Functional;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Stage;
import dev.sequent.dsl.torch.AdaptiveAvgPool2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;

/**
 * Modules nested five deep ({@code stages.0.body.1.0.weight}), the PyTorch model {@code Deep} of
 * fixtures/make_block_fixtures.py: torchinfo lists it to depth 3 and widens its name column.
 */
@Module(input = {3, 16, 16}, name = "Deep")
public interface DeepNest {
  @Conv2d(out = 8, kernel = 3, padding = 1) Layer stem();
  @Stage(block = Unit.class, count = 2, args = "c = 8") Layer stages();
  @AdaptiveAvgPool2d(1) Layer pool();
  @Flatten @Functional Layer flatten();
  @Linear(out = 4) Layer head();
}
