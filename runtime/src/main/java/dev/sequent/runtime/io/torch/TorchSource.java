package dev.sequent.runtime.io.torch;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One opened PyTorch file, whatever its container: the unpickled top-level object and the bytes
 * of its storages. {@link TorchZip} for {@code torch.save} (>= 1.6) and {@code torch.jit.save}
 * archives, {@link TorchLegacy} for the pre-1.6 pickle sequence.
 */
interface TorchSource extends AutoCloseable {

  /** What {@code torch.save} was given (or the TorchScript module), as inert values. */
  Object root();

  /** A short name of the container for {@link dev.sequent.runtime.io.WeightFile#format()}. */
  String format();

  /** The code of a TorchScript archive; empty for every other file. */
  Optional<TorchScriptCode> torchScript();

  /**
   * Every byte of the storage {@code key} in its byte order, position 0, capacity = its size in
   * the file. Storages stored uncompressed are memory-mapped, not copied.
   *
   * @param needed the bytes the tensors ask for, a bound for reading a compressed storage
   */
  ByteBuffer storage(Storage storage, long needed);

  /** The storage's name in messages: {@code data/0} in a zip, {@code storage 1403…} in a legacy file. */
  String describe(Storage storage);

  @Override
  void close();

  /**
   * A storage as a persistent id names it: {@code ('storage', FloatStorage, key, location, numel)}.
   * {@code elementOffset} is non-zero only for the storage views of pre-1.0 legacy files.
   */
  record Storage(String key, String dtype, long numel, long elementOffset) {}
}
