package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.SeparableConv2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' SeparableConv2D as Keras computes it: the depthwise step (no bias), then a 1x1
 * convolution with the bias and the activation, each a {@link GroupedConvolution}.
 */
public final class SeparableConv2DOp implements LayerOpFactory<SeparableConv2D> {

  @Override
  public Class<SeparableConv2D> layerType() {
    return SeparableConv2D.class;
  }

  @Override
  public BoundLayer bind(SeparableConv2D s, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    DataFormat f = s.dataFormat();
    int c = input.dim(f.channelAxis());
    int mid = c * s.depthMultiplier();
    Shape midShape = s.depthwise().outputShape(List.of(input));
    GroupedConvolution.Geometry dg = new GroupedConvolution.Geometry(c, mid, c, s.kernelH(), s.kernelW(),
        s.strideH(), s.strideW(), s.dilationH(), s.dilationW(), s.padding(), f);
    BoundLayer depthwise = GroupedConvolution.bind(dg,
        GroupedConvolution.hwioToOihw(FloatArrays.copyOf(params.get(0)), s.kernelH(), s.kernelW(), 1, mid), null,
        Activation.LINEAR, input, midShape);
    GroupedConvolution.Geometry pg = new GroupedConvolution.Geometry(mid, s.filters(), 1, 1, 1, 1, 1, 1, 1,
        Padding.VALID, f);
    BoundLayer pointwise = GroupedConvolution.bind(pg,
        GroupedConvolution.hwioToOihw(FloatArrays.copyOf(params.get(1)), 1, 1, mid, s.filters()),
        s.useBias() ? FloatArrays.copyOf(params.get(2)) : null, s.activation(), midShape, inferred.outputShape());
    int javaMax = Math.min(depthwise.javaMaxBatch(), pointwise.javaMaxBatch());
    if (javaMax == 0) {
      return BoundLayer.nd4jOnly(in -> pointwise.nd4j().apply(List.of(depthwise.nd4j().apply(in))));
    }
    return new BoundLayer(in -> pointwise.nd4j().apply(List.of(depthwise.nd4j().apply(in))),
        (in, n) -> pointwise.java().apply(List.of(depthwise.java().apply(in, n)), n), javaMax);
  }
}
