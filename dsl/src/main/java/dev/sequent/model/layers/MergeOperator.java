package dev.sequent.model.layers;

/**
 * The element-wise operators of the merge family, each as Keras 3.15 computes it in
 * {@code keras/src/layers/merging/<name>.py}: a left fold of a binary operation over the inputs
 * ({@code Average} dividing the sum by the number of inputs afterwards). Each constant carries its
 * Keras class name and, where the PyTorch vocabulary of the DSL spells it, that spelling; the merge kind and op look the operator up here rather than switching on classes.
 *
 * <p>Keras calls a merge on one input too (the result is that input); only {@code Subtract} wants
 * exactly two ({@code subtract.py}: "should be called on exactly 2 inputs").
 */
public enum MergeOperator {
  ADD("Add", "Add", 1, Integer.MAX_VALUE) {
    @Override
    public float apply(float a, float b) {
      return a + b;
    }
  },
  SUBTRACT("Subtract", "Sub", 2, 2) {
    @Override
    public float apply(float a, float b) {
      return a - b;
    }
  },
  MULTIPLY("Multiply", "Mul", 1, Integer.MAX_VALUE) {
    @Override
    public float apply(float a, float b) {
      return a * b;
    }
  },
  AVERAGE("Average", null, 1, Integer.MAX_VALUE) {
    @Override
    public float apply(float a, float b) {
      return a + b;
    }

    @Override
    public float finish(float folded, int n) {
      return folded / n;
    }
  },
  MAXIMUM("Maximum", null, 1, Integer.MAX_VALUE) {
    @Override
    public float apply(float a, float b) {
      return Math.max(a, b);
    }
  },
  MINIMUM("Minimum", null, 1, Integer.MAX_VALUE) {
    @Override
    public float apply(float a, float b) {
      return Math.min(a, b);
    }
  };

  private final String kerasClass;
  private final String torchName;
  private final int minInputs;
  private final int maxInputs;

  MergeOperator(String kerasClass, String torchName, int minInputs, int maxInputs) {
    this.kerasClass = kerasClass;
    this.torchName = torchName;
    this.minInputs = minInputs;
    this.maxInputs = maxInputs;
  }

  /** The Keras layer class ({@code Multiply}). */
  public String kerasClass() {
    return kerasClass;
  }

  /**
   * The PyTorch-vocabulary spelling ({@code @Mul}, as {@code torch.mul} / {@code a * b} of a forward);
   * null where the DSL has none in that vocabulary.
   */
  public String torchName() {
    return torchName;
  }

  /** The fewest inputs the operator takes. */
  public int minInputs() {
    return minInputs;
  }

  /** The most inputs the operator takes. */
  public int maxInputs() {
    return maxInputs;
  }

  /** One step of the left fold: the running value {@code a} combined with the next input's {@code b}. */
  public abstract float apply(float a, float b);

  /** The folded value of {@code n} inputs made final ({@code Average} divides by {@code n}). */
  public float finish(float folded, int n) {
    return folded;
  }

  /** The operator whose Keras class this is. */
  public static MergeOperator ofKerasClass(String className) {
    for (MergeOperator o : values()) {
      if (o.kerasClass.equals(className)) {
        return o;
      }
    }
    throw new IllegalArgumentException("no merge operator is Keras class " + className);
  }
}
