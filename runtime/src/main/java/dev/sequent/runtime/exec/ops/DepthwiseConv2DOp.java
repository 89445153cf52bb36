package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.DepthwiseConv2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' DepthwiseConv2D: the {@link GroupedConvolution} with one group per input channel. Its
 * kernel {@code (kh, kw, C, mult)} is, value for value, the grouped HWIO kernel
 * {@code (kh, kw, 1, C*mult)}, output channel {@code c*mult + m}.
 */
public final class DepthwiseConv2DOp implements LayerOpFactory<DepthwiseConv2D> {

  @Override
  public Class<DepthwiseConv2D> layerType() {
    return DepthwiseConv2D.class;
  }

  @Override
  public BoundLayer bind(DepthwiseConv2D d, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    int c = d.inputChannels(input);
    int cout = c * d.depthMultiplier();
    GroupedConvolution.Geometry g = new GroupedConvolution.Geometry(c, cout, c, d.kernelH(), d.kernelW(),
        d.strideH(), d.strideW(), d.dilationH(), d.dilationW(), d.padding(), d.dataFormat());
    float[] oihw = GroupedConvolution.hwioToOihw(FloatArrays.copyOf(params.get(0)), d.kernelH(), d.kernelW(), 1,
        cout);
    float[] bias = d.useBias() ? FloatArrays.copyOf(params.get(1)) : null;
    return GroupedConvolution.bind(g, oihw, bias, d.activation(), input, inferred.outputShape(), context.epilogue());
  }

  /** A following BatchNorm and activation fold into the kernel, as for {@link Conv2DOp}. */
  @Override
  public boolean absorbs(DepthwiseConv2D d, InferredModel.Layer inferred, Epilogue e) {
    Shape input = inferred.inputShapes().get(0);
    int channelAxis = d.dataFormat() == DataFormat.CHANNELS_FIRST ? 0 : 2;
    return GroupedConvolution.absorbs(d.activation(), channelAxis, d.inputChannels(input) * d.depthMultiplier(), e);
  }
}
