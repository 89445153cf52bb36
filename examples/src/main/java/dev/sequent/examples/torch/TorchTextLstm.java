package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.Embedding;
import dev.sequent.dsl.torch.LSTM;
import dev.sequent.dsl.torch.Linear;

/**
 * The reference LSTM text classifier in the PyTorch vocabulary (fixtures/text_lstm):
 * {@code out, (h, c) = self.lstm(self.emb(x)); self.fc(h[-1])} over 20 token ids, with
 * {@code nn.Embedding(100, 16)}, {@code nn.LSTM(16, 32, batch_first=True)}, {@code nn.Linear(32, 4)};
 * the Keras twin is {@link dev.sequent.examples.keras.KerasTextLstm}.
 */
@Module(input = {20})
public interface TorchTextLstm {
  @Embedding(numEmbeddings = 100, embeddingDim = 16)             Layer emb();
  @LSTM(hiddenSize = 32, batchFirst = true, take = "h_n")        Layer lstm();
  @Linear(out = 4)                                               Layer fc();
}
