package dev.sequent.runtime.exec;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer ready to run: its hyperparameters and parameters bound, in the layout its ND4J kernel
 * wants. Immutable and safe to call from several threads. Inputs are c-ordered float32 batches
 * the op may not modify; the result is a new array (or, for layers that do nothing at inference,
 * the input itself).
 */
@FunctionalInterface
public interface LayerOp {
  INDArray apply(List<INDArray> inputs);
}
