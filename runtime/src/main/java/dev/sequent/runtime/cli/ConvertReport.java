package dev.sequent.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The JSON {@code ./sequent convert --report out.json} writes, for users to keep beside the file
 * converted: what was read and written, each tensor's source and target names, shapes and
 * transformation (the lines {@code convert} prints), the Keras twin's architecture (the layers of
 * the whole Keras model written, helper layers of a chain included), or why there is none, and the
 * output difference measured on a seeded input with Sequent's own forward pass on both models:
 * the source model, and the file written read back by Sequent ({@code Network.load} of a whole Keras
 * model, on the input moved channels-last as the twin takes it; otherwise the file's weights loaded
 * into the source model). Keys are in a fixed order; values are deterministic for a given seed but
 * for the file names given.
 */
final class ConvertReport {
  /** The seed of the measured input: uniform in [-1, 1), batch {@value #BATCH}. */
  static final long SEED = 20_261_201L;
  static final int BATCH = 2;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final ArrayNode tensors;

  ConvertReport(Path source, String sourceFormat, Path target, String targetFormat, Network net, Framework from,
      Framework to) {
    root.put("source", source.toString());
    root.put("source_format", sourceFormat);
    root.put("source_framework", from.name().toLowerCase(java.util.Locale.ROOT));
    root.put("target", target.toString());
    root.put("target_format", targetFormat);
    root.put("target_framework", to.name().toLowerCase(java.util.Locale.ROOT));
    root.put("model", net.name());
    ArrayNode inputs = root.putArray("inputs");
    net.model().spec().inputs().forEach(in -> inputs.addObject().put("name", in.name()).put("shape", in.shape().toString()));
    tensors = root.putArray("tensors");
  }

  /** One tensor of the mapping, as {@code convert} prints it. */
  void tensor(String sourceName, String targetName, Shape sourceShape, Shape targetShape, String transformation) {
    tensors.addObject().put("source", sourceName).put("target", targetName)
        .put("source_shape", sourceShape.toString()).put("target_shape", targetShape.toString())
        .put("transformation", transformation);
  }

  /** Whether the file is a whole model, and if not why (the line {@code convert} prints). */
  void written(boolean wholeModel, String description) {
    root.put("whole_model", wholeModel);
    root.put("written", description.strip());
  }

  /** The Keras twin's layers (for a Keras target), or why the model has none. */
  void twin(InferredModel model) {
    ObjectNode twin = root.putObject("keras_twin");
    Optional<String> why = KerasTwin.whyNone(model);
    if (why.isPresent()) {
      twin.put("why_none", why.get());
      return;
    }
    InferredModel k = KerasTwin.of(model);
    ArrayNode inputs = twin.putArray("inputs");
    k.spec().inputs().forEach(in -> inputs.addObject().put("name", in.name()).put("shape", in.shape().toString()));
    ArrayNode layers = twin.putArray("layers");
    for (InferredModel.Layer l : k.nodes()) {
      ObjectNode layer = layers.addObject();
      layer.put("name", l.name());
      layer.put("class_name", l.spec().typeName());
      ArrayNode in = layer.putArray("inputs");
      l.node().inputs().forEach(in::add);
      if (l.node().sharesWeights()) {
        layer.put("shares_weights_of", l.node().sharesWeightsOf());
      }
      layer.put("output_shape", l.outputShape().toString());
      layer.put("params", l.params().stream().mapToLong(p -> p.count()).sum());
      layer.put("helper", model.nodes().stream().noneMatch(o -> o.name().equals(l.name())));
    }
    ArrayNode outputs = twin.putArray("outputs");
    k.spec().outputs().forEach(outputs::add);
  }

  /**
   * Runs {@code source} and {@code written} on the same seeded batch and records the largest
   * absolute difference per output, and whether every value is within the project's tolerance
   * ({@code max(1e-5, 1e-4 |expected|)}).
   *
   * @param channelsLast whether {@code written} is the channels-last Keras twin (inputs and image
   *     outputs moved channels-last)
   * @param compared what {@code written} is, for the report
   */
  void measure(Network source, Network written, boolean channelsLast, String compared) {
    ObjectNode m = root.putObject("measured");
    m.put("compared", compared);
    m.put("seed", SEED);
    m.put("input", "uniform in [-1, 1), batch " + BATCH + ", Nd4j.getRandom().setSeed(seed)");
    m.put("tolerance", "max(1e-5, 1e-4 |expected|)");
    try {
      Nd4j.getRandom().setSeed(SEED);
      List<INDArray> xs = new ArrayList<>();
      for (Shape s : source.inputShapes()) {
        long[] shape = new long[s.rank() + 1];
        shape[0] = BATCH;
        for (int i = 0; i < s.rank(); i++) {
          shape[i + 1] = s.dim(i);
        }
        xs.add(Nd4j.rand(DataType.FLOAT, shape).muli(2).subi(1));
      }
      boolean transpose = channelsLast && KerasTwin.imageFormat(source.model()) == DataFormat.CHANNELS_FIRST;
      List<INDArray> expected = source.forward(xs);
      List<INDArray> got = written.forward(xs.stream().map(x -> transpose ? toChannelsLast(x) : x).toList());
      ArrayNode outs = m.putArray("outputs");
      boolean all = true;
      double worst = 0;
      for (int i = 0; i < expected.size(); i++) {
        INDArray e = transpose ? toChannelsLast(expected.get(i)) : expected.get(i);
        INDArray diff = Transforms.abs(e.sub(got.get(i)));
        double max = diff.maxNumber().doubleValue();
        INDArray bound = Transforms.max(Transforms.abs(e).muli(1e-4), 1e-5);
        boolean ok = diff.sub(bound).maxNumber().doubleValue() <= 0;
        all &= ok;
        worst = Math.max(worst, max);
        outs.addObject().put("name", source.outputNames().get(i)).put("max_abs_diff", max).put("within_tolerance", ok);
      }
      m.put("max_abs_diff", worst);
      m.put("within_tolerance", all);
    } catch (RuntimeException e) {
      m.put("not_measured", SequentCli.oneLine(e));
    }
  }

  /** Why nothing was measured (the file cannot be read back as a model). */
  void notMeasured(String why) {
    root.putObject("measured").put("not_measured", why);
  }

  void write(Path file) throws IOException {
    Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
  }

  private static INDArray toChannelsLast(INDArray x) {
    return x.rank() == 4 ? x.permute(0, 2, 3, 1).dup() : x;
  }
}
