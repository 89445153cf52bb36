package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ConvTranspose2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.exec.SmallOp;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D transposed convolution as {@link ConvTranspose2D} describes it: the full scatter of every
 * input pixel's kernel, then the output window (cropped at the start, zero past the scatter's end),
 * then bias and activation, so that positions past the scatter hold the bias as in both frameworks.
 * Small batches scatter in plain Java; larger ones use ND4J's {@code deconv2d} for the full scatter
 * (no padding, which it only applies symmetrically) and crop it.
 */
public final class ConvTranspose2DOp implements LayerOpFactory<ConvTranspose2D> {

  @Override
  public Class<ConvTranspose2D> layerType() {
    return ConvTranspose2D.class;
  }

  @Override
  public BoundLayer bind(ConvTranspose2D c, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = c.dataFormat();
    boolean channelsFirst = f == DataFormat.CHANNELS_FIRST;
    int cin = input.dim(f.channelAxis());
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    int cout = c.filters();
    int oh = output.dim(f.heightAxis());
    int ow = output.dim(f.heightAxis() + 1);
    int top = c.cropBefore(0, h);
    int left = c.cropBefore(1, w);
    int fullH = ConvTranspose2D.fullLength(h, c.kernelH(), c.strideH(), c.dilationH());
    int fullW = ConvTranspose2D.fullLength(w, c.kernelW(), c.strideW(), c.dilationW());
    // Keras' (kh, kw, out, in) is the layout both kernels below take; PyTorch's is (in, out, kh, kw).
    INDArray hwoi = (c.framework() == Framework.TORCH ? params.get(0).permute(2, 3, 1, 0) : params.get(0)).dup('c');
    float[] bias = c.useBias() ? FloatArrays.copyOf(params.get(1)) : null;
    Activation act = c.activation();

    long macsPerSample = (long) h * w * cin * cout * c.kernelH() * c.kernelW();
    int javaMaxBatch = BoundLayer.maxBatch(SmallKernels.CONV_LIMIT, macsPerSample);
    // [kh][kw][in][out], so that one input pixel's channels meet one tap's (in, out) block in order.
    float[] taps = javaMaxBatch > 0 ? FloatArrays.copyOf(hwoi.permute(0, 1, 3, 2).dup('c')) : null;
    SmallOp small = (in, n) -> {
      float[] x = in.get(0);
      float[] y = new float[n * oh * ow * cout];
      float[] acc = new float[oh * ow * cout]; // one sample, channels-last
      float[] pixel = new float[cin];
      for (int s = 0; s < n; s++) {
        java.util.Arrays.fill(acc, 0f);
        int base = s * cin * h * w;
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            for (int ch = 0; ch < cin; ch++) {
              pixel[ch] = channelsFirst ? x[base + (ch * h + i) * w + j] : x[base + (i * w + j) * cin + ch];
            }
            for (int a = 0; a < c.kernelH(); a++) {
              int oy = i * c.strideH() + a * c.dilationH() - top;
              if (oy < 0 || oy >= oh) {
                continue;
              }
              for (int b = 0; b < c.kernelW(); b++) {
                int ox = j * c.strideW() + b * c.dilationW() - left;
                if (ox < 0 || ox >= ow) {
                  continue;
                }
                int at = (oy * ow + ox) * cout;
                int tap = ((a * c.kernelW() + b) * cin) * cout;
                for (int ch = 0; ch < cin; ch++) {
                  float v = pixel[ch];
                  if (v != 0f) {
                    int row = tap + ch * cout;
                    for (int o = 0; o < cout; o++) {
                      acc[at + o] += v * taps[row + o];
                    }
                  }
                }
              }
            }
          }
        }
        int out = s * oh * ow * cout;
        for (int p = 0; p < oh * ow; p++) {
          for (int o = 0; o < cout; o++) {
            float v = acc[p * cout + o] + (bias == null ? 0f : bias[o]);
            y[channelsFirst ? out + o * oh * ow + p : out + p * cout + o] = v;
          }
        }
      }
      Elementwise.activate(act, FloatBuffer.wrap(y), output.withBatch(n));
      return y;
    };

    DeConv2DConfig config = DeConv2DConfig.builder()
        .kH(c.kernelH()).kW(c.kernelW())
        .sH(c.strideH()).sW(c.strideW())
        .pH(0).pW(0)
        .dH(c.dilationH()).dW(c.dilationW())
        .isSameMode(false)
        .dataFormat(channelsFirst ? "NCHW" : "NHWC")
        .build();
    INDArray nd4jBias = bias == null ? null : Nd4j.createFromArray(bias);
    int hAxis = f.heightAxis() + 1; // in the batched array
    LayerOp nd4j = in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n <= javaMaxBatch) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      INDArray full = Nd4j.cnn().deconv2d(x, hwoi, config);
      INDArray y = window(full, hAxis, top, oh, fullH, left, ow, fullW);
      if (nd4jBias != null) {
        Broadcast.add(y, nd4jBias, y, channelsFirst ? 1 : 3);
      }
      return Elementwise.applyInPlace(act, y);
    };
    return javaMaxBatch > 0 ? new BoundLayer(nd4j, small, javaMaxBatch) : BoundLayer.nd4jOnly(nd4j);
  }

  /** Rows {@code [top, top + oh)} and columns {@code [left, left + ow)} of the full scatter, zeros past its end. */
  private static INDArray window(INDArray full, int hAxis, int top, int oh, int fullH, int left, int ow, int fullW) {
    long[] shape = full.shape().clone();
    shape[hAxis] = oh;
    shape[hAxis + 1] = ow;
    INDArray y = Nd4j.zeros(DataType.FLOAT, shape);
    int rows = Math.min(oh, fullH - top);
    int cols = Math.min(ow, fullW - left);
    INDArrayIndex[] from = new INDArrayIndex[4];
    INDArrayIndex[] to = new INDArrayIndex[4];
    for (int axis = 0; axis < 4; axis++) {
      from[axis] = NDArrayIndex.all();
      to[axis] = NDArrayIndex.all();
    }
    from[hAxis] = NDArrayIndex.interval(top, top + rows);
    from[hAxis + 1] = NDArrayIndex.interval(left, left + cols);
    to[hAxis] = NDArrayIndex.interval(0, rows);
    to[hAxis + 1] = NDArrayIndex.interval(0, cols);
    y.put(to, full.get(from));
    return y;
  }
}
