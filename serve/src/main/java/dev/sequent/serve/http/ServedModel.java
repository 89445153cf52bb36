package dev.sequent.serve.http;

import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.serve.BatchingPredictor;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model the server answers for: its name in URLs, the network (for its shapes and
 * vocabulary) and the batching predictor that runs it.
 *
 * <p>A Sequent network has one input and one output; the protocol calls them {@value #INPUT} and
 * {@value #OUTPUT}, FP32, with the batch axis first and variable ({@code -1} in metadata).
 */
public record ServedModel(String name, Network network, BatchingPredictor predictor) {
  /** The name of the model's input tensor in requests and metadata. */
  public static final String INPUT = "input";
  /** The name of the model's output tensor in responses and metadata. */
  public static final String OUTPUT = "output";
  /** The only version of each model: the server serves the network it was given. */
  public static final String VERSION = "1";
  /** The protocols' datatype of every input and output. */
  public static final String DATATYPE = "FP32";

  // Names go into URL paths unescaped (tritonclient quotes them; curl users do not).
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  public ServedModel {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(predictor, "predictor");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("model name '" + name + "' must be letters, digits, '_', '.' or '-', "
          + "starting with a letter or digit (it is part of the URL)");
    }
  }

  /** The sample input shape, without the batch axis. */
  public Shape inputShape() {
    return network.inputShape();
  }

  /** The sample output shape, without the batch axis. */
  public Shape outputShape() {
    return network.outputShape();
  }

  /**
   * The metadata's platform: {@code sequent_keras} for a model in Keras' vocabulary (channels-last
   * images), {@code sequent_pytorch} for PyTorch's (channels-first), so a client knows the layout.
   */
  public String platform() {
    return network.model().spec().framework() == Framework.KERAS ? "sequent_keras" : "sequent_pytorch";
  }
}
