package dev.sequent.examples.torch;

import dev.sequent.dsl.From;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.Cat;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.Mul;
import dev.sequent.dsl.torch.Sigmoid;
import dev.sequent.dsl.torch.Sub;

/**
 * The PyTorch module {@code TorchCatGate} of {@code fixtures/make_merge_fixtures.py}, whose forward
 * is
 * <pre>
 * joined = torch.cat([self.left(x), self.right(x)], dim=1)
 * gated = joined * torch.sigmoid(self.gate(x))       # [6,h,w] * [1,h,w]
 * diff = gated - self.other(x)
 * return self.head(torch.flatten(diff, 1))
 * </pre>
 * declared with its wiring, so it loads that module's {@code state_dict}
 * ({@code fixtures/merges/torch_cat_gate.pt}) by name.
 */
@Module(input = {3, 6, 6})
public interface TorchCatGate {
  @Conv2d(out = 4, kernel = 3, padding = 1) @From("input") Layer left();
  @Conv2d(out = 2, kernel = 1) @From("input")             Layer right();
  @Cat(from = {"left", "right"})                          Layer joined();   // [6,6,6]
  @Conv2d(out = 1, kernel = 3, padding = 1) @From("input") Layer gate();    // [1,6,6]
  @Sigmoid                                                Layer gateAct();
  @Mul(from = {"joined", "gateAct"})                      Layer gated();    // broadcast over channels
  @Conv2d(out = 6, kernel = 1) @From("input")             Layer other();
  @Sub(from = {"gated", "other"})                         Layer diff();
  @Flatten                                                Layer flat();
  @Linear(out = 5)                                        Layer head();
}
