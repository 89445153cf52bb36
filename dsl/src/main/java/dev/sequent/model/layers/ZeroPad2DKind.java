package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.LayerAttributes;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Optional;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero padding: Keras {@code ZeroPadding2D} (Keras 3.15 {@code keras/src/layers/reshaping/zero_padding2d.py}:
 * {@code padding} an int, a pair {@code (sym_h, sym_w)} or {@code ((top, bottom), (left, right))},
 * default 1; {@code get_config} writes the nested form and {@code data_format}, as tf_keras does) and
 * PyTorch {@code nn.ZeroPad2d} ({@code torch/nn/modules/padding.py}: {@code padding} an int or
 * {@code (left, right, top, bottom)}, pickled as the 4-tuple, with {@code value} 0.0; a traced module
 * keeps the call {@code torch.pad(input, [l, r, t, b], "constant", 0.)}). See {@link ZeroPad2D}.
 *
 * <p>Twin: Keras {@code ZeroPadding2D(((top, bottom), (left, right)))}, channels-last: the same sides
 * of the transposed image.
 */
public final class ZeroPad2DKind extends AbstractLayerKind<ZeroPad2D> {
  public static final String KERAS_CLASS = "ZeroPadding2D";
  /** The name suffix of a ZeroPadding2D that another layer's Keras twin puts before it ({@code c1_pad}). */
  public static final String TWIN_SUFFIX = "pad";
  public static final String TORCH_CLASS = "ZeroPad2d";
  public static final String TORCH_MODULE = "torch.nn.modules.padding." + TORCH_CLASS;
  /** Keras' {@code ZeroPadding2D(padding=(1, 1))} default. */
  public static final int KERAS_PADDING = 1;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  public ZeroPad2DKind() {
    super(ZeroPad2D.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> {
          int[] s = kerasSides("padding", v.ints("padding"));
          return new ZeroPad2D(Framework.KERAS, s[0], s[1], s[2], s[3], DataFormat.CHANNELS_LAST);
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_CLASS, v -> {
          int[] s = torchSides("value", v.ints("value"));
          return new ZeroPad2D(Framework.TORCH, s[0], s[1], s[2], s[3], DataFormat.CHANNELS_FIRST);
        }));
  }

  /**
   * Keras' three forms as {top, bottom, left, right}: {@code {p}} (every side), {@code {h, w}}
   * (symmetric height and width), {@code {top, bottom, left, right}} (the annotation's flat form of
   * {@code ((top, bottom), (left, right))}).
   */
  static int[] kerasSides(String attribute, int[] v) {
    return switch (v.length) {
      case 1 -> new int[] {v[0], v[0], v[0], v[0]};
      case 2 -> new int[] {v[0], v[0], v[1], v[1]};
      case 4 -> v.clone();
      default -> throw new ShapeException(attribute, attribute + " takes 1 value (every side), 2 (symmetric height "
          + "and width) or 4 (top, bottom, left, right). Received: " + Arrays.toString(v));
    };
  }

  /** PyTorch's forms, {@code p} or {@code (left, right, top, bottom)}, as {top, bottom, left, right}. */
  static int[] torchSides(String attribute, int[] v) {
    return switch (v.length) {
      case 1 -> new int[] {v[0], v[0], v[0], v[0]};
      case 4 -> new int[] {v[2], v[3], v[0], v[1]};
      default -> throw new ShapeException(attribute, attribute + " takes 1 value (every side) or 4 in PyTorch's "
          + "order (left, right, top, bottom). Received: " + Arrays.toString(v));
    };
  }

  /** A Keras config's {@code key} in any of the three forms {@code __init__} accepts, as {top, bottom, left, right}. */
  static int[] kerasSides(LayerAttributes c, String key) {
    Object v = c.get(key);
    if (v instanceof List<?> l && l.size() == 2 && l.stream().allMatch(List.class::isInstance)) {
      List<?> h = (List<?>) l.get(0);
      List<?> w = (List<?>) l.get(1);
      if (h.size() == 2 && w.size() == 2 && h.stream().allMatch(Number.class::isInstance)
          && w.stream().allMatch(Number.class::isInstance)) {
        return new int[] {((Number) h.get(0)).intValue(), ((Number) h.get(1)).intValue(),
            ((Number) w.get(0)).intValue(), ((Number) w.get(1)).intValue()};
      }
    } else if (v instanceof Number || (v instanceof List<?> l && l.size() == 2
        && l.stream().allMatch(Number.class::isInstance))) {
      int[] p = c.pair(key);
      return new int[] {p[0], p[0], p[1], p[1]};
    }
    throw c.unsupported(c.keyWord() + " " + key + " is " + v + ", expected an int, (sym_height, sym_width) or "
        + "((top, bottom), (left, right))");
  }

  /** {@code [[top, bottom], [left, right]]}, as both dialects' {@code get_config} write it. */
  static ArrayNode kerasNested(int top, int bottom, int left, int right) {
    ArrayNode a = JSON.arrayNode();
    a.addArray().add(top).add(bottom);
    a.addArray().add(left).add(right);
    return a;
  }

  @Override
  public ZeroPad2D fromKeras(KerasLayerInput c) {
    int[] s = kerasSides(c, "padding");
    return new ZeroPad2D(Framework.KERAS, s[0], s[1], s[2], s[3], c.dataFormat());
  }

  @Override
  public void writeKeras(ZeroPad2D z, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.set("padding", kerasNested(z.top(), z.bottom(), z.left(), z.right()));
    c.put("data_format", z.dataFormat().kerasName());
  }

  @Override
  public ZeroPad2D fromTorch(TorchModuleInput m) {
    if (m.number("value", 0.0) != 0.0) {
      throw m.unsupported("ZeroPad2d with value " + m.get("value") + ", expected 0.0");
    }
    int[] s;
    try {
      s = torchSides("padding", m.ints("padding"));
    } catch (ShapeException e) {
      throw m.unsupported(e.getMessage());
    }
    return new ZeroPad2D(Framework.TORCH, s[0], s[1], s[2], s[3], DataFormat.CHANNELS_FIRST);
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (c.op().equals("pad") && "constant".equals(c.arg(2, "mode", "constant"))) {
      a.put("padding", c.arg(1, "pad", null));
      Object value = c.arg(3, "value", null);
      a.put("value", value == null ? 0.0 : value);
    } else if (c.op().equals("constant_pad_nd")) {
      a.put("padding", c.arg(1, "pad", null));
      a.put("value", c.arg(2, "value", 0.0));
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(ZeroPad2D z, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("padding", List.of(z.left(), z.right(), z.top(), z.bottom()));
    a.put("value", 0.0);
    return a;
  }

  /** Zeros padded to, or values rearranged from, non-negative ones are non-negative. */
  @Override
  public boolean keepsNonNegative(ZeroPad2D z) {
    return true;
  }

  @Override
  public Twin kerasTwin(ZeroPad2D z, TwinContext context) {
    return Twin.of(new ZeroPad2D(Framework.KERAS, z.top(), z.bottom(), z.left(), z.right(), DataFormat.CHANNELS_LAST));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new ZeroPad2D(Framework.KERAS, 1, 2, 0, 3, DataFormat.CHANNELS_LAST), Shape.of(5, 6, 3)),
        new Example(new ZeroPad2D(Framework.KERAS, 2, 2, 1, 1, DataFormat.CHANNELS_FIRST), Shape.of(3, 5, 6)),
        new Example(new ZeroPad2D(Framework.TORCH, 0, 3, 1, 2, DataFormat.CHANNELS_FIRST), Shape.of(2, 5, 6)),
        new Example(new ZeroPad2D(Framework.TORCH, 1, 1, 1, 1, DataFormat.CHANNELS_FIRST), Shape.of(2, 4, 4)));
  }
  /** The shortest of each vocabulary's forms that gives the four sides. */
  @Override
  public Optional<SourceForm> sourceForm(ZeroPad2D z) {
    boolean all = z.top() == z.bottom() && z.bottom() == z.left() && z.left() == z.right();
    if (z.framework() == Framework.KERAS) {
      int[] sides = all ? new int[] {z.top()} : z.top() == z.bottom() && z.left() == z.right()
          ? new int[] {z.top(), z.left()} : new int[] {z.top(), z.bottom(), z.left(), z.right()};
      return Optional.of(SourceForm.keras(KERAS_CLASS).with("padding", sides));
    }
    return Optional.of(SourceForm.torch(TORCH_CLASS).with("value", all ? new int[] {z.top()}
        : new int[] {z.left(), z.right(), z.top(), z.bottom()}));
  }
}
