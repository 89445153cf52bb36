package dev.sequent.dsl.torch;

import dev.sequent.model.layers.RecurrentKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
 * bidirectional=False)}. Input {@code (time, features)} samples; Sequent's batches are always
 * batch-first, {@code batchFirst} only records how the module is declared. The module returns a
 * tuple; {@code take} says what the next layer gets, as a PyTorch user writes it after the call:
 * {@code "output"} (the sequence, {@code (time, D*hidden)}), {@code "output[:, -1]"} (its last step)
 * or {@code "h_n"} (the last layer's final hidden state, both directions concatenated: what Keras'
 * {@code return_sequences=False} gives). {@code (h_n, c_n)} as further outputs are not supported.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GRU {
  int hiddenSize();

  /** input_size; 0 to infer it from the input. */
  int inputSize() default 0;

  int numLayers() default 1;

  boolean bias() default true;

  boolean batchFirst() default false;

  boolean bidirectional() default false;

  /** What the next layer takes of the module's outputs: "output", "output[:, -1]" or "h_n". */
  String take() default RecurrentKind.TAKE_OUTPUT;

  /** Refused when not 0 (projections, weight_hr). */
  int projSize() default 0;

  /**
   * In a {@code @Module}: the layers whose outputs are the initial states ({@code h0}, {@code (hidden)} each;
   * PyTorch's {@code (1, batch, hidden)} without the batch), as {@code rnn(x, h0)}; empty: zeros.
   */
  String[] initialState() default {};
}
