package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.Activation;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.util.Optional;

/**
 * Activation layers ({@code ReLU}, {@code Activation("gelu")}, {@code nn.Hardtanh}, ...) and the
 * activation a layer fuses (Keras {@code activation=}), which the PyTorch twin has as a module of its
 * own: each function as the ATen op of its {@code torch.nn} module, with the module's arguments.
 * Element-wise functions run in whatever layout their input is in; softmax and log-softmax, defined
 * on an axis of the model's own, run in the model's layout.
 */
public final class ActivationLowering implements AtenLowering<ActivationLayer> {
  /** PyTorch's Softplus threshold, above which it is the identity (Keras' is exact; they differ by < 3e-9). */
  private static final double SOFTPLUS_THRESHOLD = 20;

  @Override
  public Class<ActivationLayer> recordType() {
    return ActivationLayer.class;
  }

  @Override
  public Optional<String> refused(ActivationLayer layer, LoweringContext.Site site) {
    return refusedFused(layer.activation());
  }

  @Override
  public Lowered lower(ActivationLayer layer, LoweringContext context) {
    Layout layout = context.firstInputLayout();
    return apply(layer.activation(), new Lowered(context.input(0, layout), layout), context);
  }

  /** Why {@code a} has no ATen form written here, or empty. */
  static Optional<String> refusedFused(Activation a) {
    return switch (a.kind()) {
      case KERAS_RELU -> a.alpha() == 0 && a.threshold() == 0 ? Optional.empty()
          : Optional.of("Keras ReLU with negative_slope or threshold has no one torch.nn module; "
              + "Sequent writes it only with max_value alone");
      case SQUAREPLUS, SPARSE_PLUS, SPARSE_SIGMOID -> Optional.of("activation " + a.kind().name().toLowerCase()
          + " has no torch.nn module, and Sequent does not lower it");
      default -> Optional.empty();
    };
  }

  /** The layer's output after its fused activation {@code a} (itself for linear). */
  static Lowered applyFused(Activation a, Lowered in, LoweringContext context) {
    return a.isLinear() ? in : apply(a, in, context);
  }

  static Lowered apply(Activation a, Lowered in, LoweringContext c) {
    Tensor x = in.tensor();
    int[] s = x.sizes();
    Arg self = Arg.tensor("self", x);
    Tensor y = switch (a.kind()) {
      case LINEAR -> x;
      case RELU -> c.call("aten.relu.default", s, self);
      case TANH -> c.call("aten.tanh.default", s, self);
      case SIGMOID -> c.call("aten.sigmoid.default", s, self);
      case SILU -> c.call("aten.silu.default", s, self);
      case SELU -> c.call("aten.selu.default", s, self);
      case MISH -> c.call("aten.mish.default", s, self);
      case EXPONENTIAL -> c.call("aten.exp.default", s, self);
      case LOG_SIGMOID -> c.call("aten.log_sigmoid.default", s, self);
      case HARD_SIGMOID -> c.call("aten.hardsigmoid.default", s, self);
      case HARD_SILU -> c.call("aten.hardswish.default", s, self);
      case RELU6 -> hardtanh(c, x, 0, 6);
      case HARDTANH -> hardtanh(c, x, a.alpha(), a.maxValue());
      case KERAS_RELU -> Double.isInfinite(a.maxValue()) ? c.call("aten.relu.default", s, self)
          : hardtanh(c, x, 0, a.maxValue());
      case LEAKY_RELU -> c.call("aten.leaky_relu.default", s, self, Arg.number("negative_slope", a.alpha()));
      case ELU -> c.call("aten.elu.default", s, self, Arg.number("alpha", a.alpha()));
      case CELU -> c.call("aten.celu.default", s, self, Arg.number("alpha", a.alpha()));
      case GELU -> c.call("aten.gelu.default", s, self,
          Arg.string("approximate", a.approximate() ? "tanh" : "none").keyword());
      case SOFTPLUS -> c.call("aten.softplus.default", s, self, Arg.number("beta", a.alpha() == 0 ? 1 : a.alpha()),
          Arg.number("threshold", Double.isInfinite(a.threshold()) ? SOFTPLUS_THRESHOLD : a.threshold()));
      case SOFT_SHRINK -> c.call("aten.softshrink.default", s, self, Arg.number("lambd", a.alpha()));
      case HARD_SHRINK -> c.call("aten.hardshrink.default", s, self, Arg.number("lambd", a.alpha()));
      case TANH_SHRINK -> c.call("aten.sub.Tensor", s, self, Arg.tensor("other",
          c.call("aten.tanh.default", s, self)));
      case SOFTSIGN -> c.call("aten.div.Tensor", s, self, Arg.tensor("other", c.call("aten.add.Scalar", s,
          Arg.tensor("self", c.call("aten.abs.default", s, self)), Arg.number("other", 1))));
      case HARD_SIGMOID_TF -> c.call("aten.clamp.default", s, Arg.tensor("self", c.call("aten.add.Scalar", s,
          Arg.tensor("self", c.call("aten.mul.Scalar", s, self, Arg.number("other", 0.2))), Arg.number("other", 0.5))),
          Arg.number("min", 0), Arg.number("max", 1));
      case SOFTMAX, LOG_SOFTMAX -> null;
      case SQUAREPLUS, SPARSE_PLUS, SPARSE_SIGMOID -> throw new IllegalStateException(refusedFused(a).orElseThrow());
    };
    if (y != null) {
      return new Lowered(y, in.layout());
    }
    // an axis of the model's own: computed in its layout
    Tensor m = in.layout() == Layout.MODEL ? x : c.toModel(in);
    int rank = m.rank() + 1;
    int axis = a.axis() < 0 ? a.axis() + rank : a.axis();
    String op = a.kind() == Activation.Kind.SOFTMAX ? "aten.softmax.int" : "aten.log_softmax.int";
    return Lowered.model(c.call(op, m.sizes(), Arg.tensor("self", m), Arg.integer("dim", axis)));
  }

  private static Tensor hardtanh(LoweringContext c, Tensor x, double min, double max) {
    return c.call("aten.hardtanh.default", x.sizes(), Arg.tensor("self", x), Arg.number("min_val", min),
        Arg.number("max_val", max));
  }
}
