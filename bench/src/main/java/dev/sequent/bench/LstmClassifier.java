package dev.sequent.bench;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.LSTM;
import dev.sequent.dsl.torch.Linear;

/**
 * The benchmark's LSTM row (bench/prepare.py {@code lstm_classifier}): {@code nn.LSTM(64, 128,
 * batch_first=True)} over 50 steps, the head on {@code h_n[-1]}. At batch 1 each step is one
 * {@code (1, 128) x (128, 512)} product of all four gates, in plain Java ({@code RecurrentOp}).
 */
@Module(input = {50, 64})
public interface LstmClassifier {
  @LSTM(hiddenSize = 128, batchFirst = true, take = "h_n") Layer lstm();
  @Linear(out = 10) Layer fc();
}
