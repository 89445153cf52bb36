package dev.sequent.runtime.exec;

/**
 * A layer folded into the one layer that reads it ({@link PlanFusion}), which computes that
 * layer's output itself, a block of channels of one sample at a time, while it reads them: the
 * output never exists whole. MobileNetV2's 1x1 expansion to 96 channels of 112x112 writes 4.8 MB
 * that the depthwise layer after it reads back; a block of its planes (8 of them, 400 KB) stays in
 * the L2 cache between the two.
 *
 * <p>The values are channels first: the source's input {@code (n, inChannels, h, w)} on the heap,
 * its output planes {@code outH x outW} each. Immutable and shared by any number of threads.
 */
public interface ChannelSource {
  /** Channels per sample of the source's input. */
  int inChannels();

  /** Channels per sample of the source's output, the reader's input. */
  int channels();

  /** Channels {@link #computeBlock} computes at a time (the last block may have fewer). */
  int blockChannels();

  /** Values of one output plane. */
  int planeValues();

  /**
   * Output channels {@code [block * blockChannels(), ...)} of sample {@code sample} of the input
   * {@code x} (the whole batch, channels first), its activation applied, into {@code into} from 0,
   * plane after plane.
   */
  void computeBlock(float[] x, int sample, int block, float[] into);
}
