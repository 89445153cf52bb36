package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Embedding;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import java.util.Optional;

/**
 * Embedding: {@code aten.embedding(weight, indices)}. Its PyTorch twin takes int64 ids, so a model
 * input the Embedding reads is an int64 input of the program ({@link AtenLowering#readsIndices}).
 */
public final class EmbeddingLowering implements AtenLowering<Embedding> {
  @Override
  public Class<Embedding> recordType() {
    return Embedding.class;
  }

  @Override
  public boolean readsIndices() {
    return true;
  }

  @Override
  public Optional<String> refused(Embedding l, LoweringContext.Site site) {
    String input = site.layer().node().inputs().get(0);
    return site.model().spec().isInput(input) ? Optional.empty()
        : Optional.of("its ids come from layer " + input + ", not from a model input; Sequent writes an "
            + "Embedding only on an int64 input of the program");
  }

  @Override
  public Lowered lower(Embedding l, LoweringContext c) {
    return Lowered.model(c.call("aten.embedding.default", c.outputShape().toArray(),
        Arg.tensor("weight", c.param("weight")), Arg.tensor("indices", c.input(0, Layout.MODEL))));
  }
}
