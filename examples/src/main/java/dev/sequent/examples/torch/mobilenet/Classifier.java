package dev.sequent.examples.torch.mobilenet;

import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.torch.Dropout;
import dev.sequent.dsl.torch.Linear;

/** MobileNetV2's {@code classifier = nn.Sequential(nn.Dropout(p=0.2), nn.Linear(last_channel, num_classes))}. */
@Block(params = {"int classes"}, sequential = true)
public interface Classifier {
  @Dropout(p = 0.2) Layer dropout();
  @Linear @Bind("out = classes") Layer fc();
}
