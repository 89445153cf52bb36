package dev.sequent.runtime.weights;

import dev.sequent.runtime.RuntimeMessage;
import java.util.List;

/**
 * A weight file that does not fit the model. The message names the file and the model and lists
 * every missing, unexpected and mis-shaped tensor at once, so one run shows everything to fix.
 */
public class WeightMismatchException extends RuntimeException {
  private final List<String> problems;

  public WeightMismatchException(String source, String model, List<String> problems) {
    super(RuntimeMessage.WEIGHTS_DO_NOT_FIT.format(source, model, problems.size(), problems.size() == 1 ? "" : "s",
        String.join("\n  ", problems)));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
