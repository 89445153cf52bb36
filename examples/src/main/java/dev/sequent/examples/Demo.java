package dev.sequent.examples;

import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.runtime.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The headline demo: LeNet-5 declared in Java ({@link dev.sequent.examples.torch.LeNet5}), shape
 * checked at compile time, then loaded with weights saved by real Keras and by real PyTorch, with
 * Sequent's predictions printed beside each framework's own recorded outputs.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path fixtures = Path.of(args.length > 0 ? args[0] : "fixtures").resolve("reference").resolve("lenet5");
    if (!Files.isDirectory(fixtures)) {
      System.err.println("demo: reference files not found in " + fixtures);
      System.exit(1);
    }
    Network net = LeNet5Net.create();
    System.out.println("LeNet-5, declared in Java; shapes checked by javac:");
    System.out.println("  input " + LeNet5Net.INPUT_SHAPE + " -> output " + LeNet5Net.OUTPUT_SHAPE);
    System.out.println();
    System.out.println(net.summary());

    // Keras saved channels-last inputs; this model is channels-first like its PyTorch twin.
    INDArray kerasInput = npy(fixtures.resolve("input_keras.npy")).permute(0, 3, 1, 2).dup('c');
    show(net.loadWeights(fixtures.resolve("keras2.h5")), "Keras 2 (tf_keras) lenet5 .h5", kerasInput,
        npy(fixtures.resolve("output_keras2.npy")));
    show(net.loadWeights(fixtures.resolve("keras3.keras")), "Keras 3 lenet5 .keras", kerasInput,
        npy(fixtures.resolve("output_keras3.npy")));
    show(net.loadWeights(fixtures.resolve("torch_state_dict.pt")), "PyTorch lenet5 state_dict .pt",
        npy(fixtures.resolve("input_torch.npy")), npy(fixtures.resolve("output_torch.npy")));
  }

  private static INDArray npy(Path file) {
    return Nd4j.createFromNpyFile(file.toFile()).castTo(DataType.FLOAT);
  }

  private static void show(Network net, String source, INDArray input, INDArray reference) {
    INDArray ours = net.forward(input);
    double maxDiff = Transforms.abs(ours.sub(reference)).maxNumber().doubleValue();
    System.out.printf("%nWeights from %s:%n", source);
    System.out.printf("  %-6s %-9s %-9s %-22s %s%n", "sample", "Sequent", "framework", "p(class) Sequent", "framework");
    for (int i = 0; i < Math.min(4, input.size(0)); i++) {
      INDArray o = ours.getRow(i);
      INDArray r = reference.getRow(i);
      int oc = o.argMax().getInt(0);
      int rc = r.argMax().getInt(0);
      System.out.printf("  %-6d class %-3d class %-3d %-22.8f %.8f%n", i, oc, rc, o.getFloat(oc), r.getFloat(rc));
    }
    System.out.printf("  max |Sequent - framework| over %d x %d outputs: %.3g%n", ours.size(0), ours.size(1), maxDiff);
  }
}
