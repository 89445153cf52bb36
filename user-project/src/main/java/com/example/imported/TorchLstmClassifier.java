package com.example.imported;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.Embedding;
import dev.sequent.dsl.torch.LSTM;
import dev.sequent.dsl.torch.Linear;

/**
 * lstm_classifier, written by {@code ./sequent import} from lstm_classifier.pt2.
 * Each layer has the file's name, so {@code TorchLstmClassifierNet.create().loadWeights(file)} pairs every tensor by name.
 */
@Module(input = 5, name = "lstm_classifier")
public interface TorchLstmClassifier {
  @Embedding(numEmbeddings = 20, embeddingDim = 8) Layer embedding();
  @LSTM(inputSize = 8, hiddenSize = 12, batchFirst = true, take = "output[:, -1]") Layer lstm();
  @Linear(in = 12, out = 3) Layer fc();
}
