package dev.sequent.model;

/** Where the channel axis of an image tensor is. Keras defaults to last, PyTorch to first. */
public enum DataFormat {
  CHANNELS_FIRST("channels_first"),
  CHANNELS_LAST("channels_last");

  private final String kerasName;

  DataFormat(String kerasName) {
    this.kerasName = kerasName;
  }

  public String kerasName() {
    return kerasName;
  }

  /** Index of the channel axis in a rank-3 sample shape. */
  public int channelAxis() {
    return this == CHANNELS_FIRST ? 0 : 2;
  }

  /** Index of the height axis in a rank-3 sample shape (width follows it). */
  public int heightAxis() {
    return this == CHANNELS_FIRST ? 1 : 0;
  }

  /**
   * {@code in} when it is a rank-3 image; otherwise the {@link ShapeException} every image layer
   * gives, naming the axes it expected in this format.
   */
  public Shape requireImage(Shape in) {
    if (in.rank() != 3) {
      throw new ShapeException("expected a rank-3 image " + (this == CHANNELS_FIRST
          ? "[channels, height, width]" : "[height, width, channels]") + " but input is " + in);
    }
    return in;
  }

  public Shape imageShape(int channels, int height, int width) {
    return this == CHANNELS_FIRST ? Shape.of(channels, height, width) : Shape.of(height, width, channels);
  }
}
