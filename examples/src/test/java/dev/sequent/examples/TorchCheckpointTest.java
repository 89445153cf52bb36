package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.torchIo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.examples.torch.SimpleNetNet;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.cli.SequentCli;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A real training checkpoint with two state_dicts ({@code {"model", "ema", "optimizer", "epoch"}},
 * fixtures/io/make_torch_io_fixtures.py) and a real nn.DataParallel state_dict, loaded into the
 * Java SimpleNet through the API and through the CLI's --entry / --strip-prefix.
 */
class TorchCheckpointTest {
  @TempDir Path tmp;

  private static final Path CHECKPOINT = torchIo("checkpoint", "checkpoint.pt");

  private static INDArray input() {
    return npy("simple_net", "input_torch.npy");
  }

  @Test
  void eachEntryGivesItsOwnOutputsAndNoEntryIsRefused() {
    Network net = Network.create(SimpleNetNet.model(), 1);
    WeightFileException e = assertThrows(WeightFileException.class, () -> net.loadWeights(CHECKPOINT));
    assertThat(e.getMessage()).contains("several entries hold state_dicts").contains("\"model\"").contains("\"ema\"");
    net.loadWeights(CHECKPOINT, TorchReadOptions.entry("ema"));
    assertClose(npy(torchIo("checkpoint", "output_ema.npy")), net.forward(input()), "entry ema");
    net.loadWeights(CHECKPOINT, TorchReadOptions.entry("model"));
    assertClose(npy(torchIo("checkpoint", "output_model.npy")), net.forward(input()), "entry model");
  }

  @Test
  void dataParallelStateDictLoadsWithOrWithoutTheOption() {
    Path file = torchIo("checkpoint", "dataparallel_state_dict.pt");
    INDArray expected = npy(torchIo("checkpoint", "output_model.npy"));
    assertClose(expected, Network.create(SimpleNetNet.model(), 1).loadWeights(file).forward(input()), "automatic");
    assertClose(expected, Network.create(SimpleNetNet.model(), 1)
        .loadWeights(file, TorchReadOptions.DEFAULT.withStripPrefix("module.")).forward(input()), "explicit");
  }

  @Test
  void cliEntryAndStripPrefixOptions() {
    String x = reference("simple_net", "input_torch.npy").toString();
    Path out = tmp.resolve("ema.npy");
    assertThat(cli("predict", CHECKPOINT.toString(), "--class", "dev.sequent.examples.torch.SimpleNet",
        "--entry", "ema", "--input", x, "--output", out.toString())).isZero();
    assertClose(npy(torchIo("checkpoint", "output_ema.npy")), Nd4j.createFromNpyFile(out.toFile()), "--entry ema");

    Path dp = tmp.resolve("dp.npy");
    assertThat(cli("predict", torchIo("checkpoint", "dataparallel_state_dict.pt").toString(),
        "--class", "dev.sequent.examples.torch.SimpleNet", "--strip-prefix", "module.", "--input", x,
        "--output", dp.toString())).isZero();
    assertClose(npy(torchIo("checkpoint", "output_model.npy")), Nd4j.createFromNpyFile(dp.toFile()),
        "--strip-prefix module.");
  }

  private static int cli(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = SequentCli.run(args);
      if (code != 0) {
        original.println(err.toString(StandardCharsets.UTF_8));
      }
      return code;
    } finally {
      System.setErr(original);
    }
  }
}
