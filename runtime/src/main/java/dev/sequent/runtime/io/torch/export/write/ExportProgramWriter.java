package dev.sequent.runtime.io.torch.export.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a model as a {@code torch.export} program ({@code .pt2}): the serialized
 * {@code ExportedProgram} of its PyTorch twin (ATen calls in the twin's channels-first layout, the
 * twin's state_dict tensors as parameters and buffers, a symbolic batch axis), in the PT2 archive
 * {@code torch.export.save} writes (torch/export/pt2_archive/_package.py), so that
 * {@code torch.export.load(f).module()} runs the model in PyTorch with no model code.
 *
 * <p>The writer knows no layer: each layer's calls come from its kind's {@link AtenLowering}
 * ({@link AtenLowerings}), and a layer's fused activation (Keras {@code activation=}) from the
 * activation lowering. A model with a layer that has no lowering, or that its lowering refuses, is
 * refused naming every such layer, before anything is written.
 *
 * <p>Archive layout (all records under {@code archive/}): {@code archive_format} ("pt2"),
 * {@code archive_version} ("0"), {@code byteorder}, {@code .data/version} (the zip-format version
 * PyTorch's file reader checks), {@code models/model.json} (the program, schema
 * {@value ProgramGraph#SCHEMA_MAJOR}.{@value ProgramGraph#SCHEMA_MINOR}),
 * {@code data/weights/model_weights_config.json} and one raw little-endian record per tensor,
 * an empty {@code data/constants/model_constants_config.json}, and an empty
 * {@code data/sample_inputs/model.pt} (no example inputs, which torch.export.load accepts).
 */
public final class ExportProgramWriter {
  private static final String ROOT = "archive/";
  private static final String MODEL = "model";
  /** torch/export/pt2_archive/constants.py ARCHIVE_VERSION_VALUE. */
  private static final String ARCHIVE_VERSION = "0";
  /** The zip-format version PyTorchFileWriter writes for a PT2 archive (set_min_version(6)). */
  private static final String ZIP_VERSION = "6\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportProgramWriter() {}

  /** A program built but not yet written: its document, the tensors it reads and the ops it calls. */
  public record Program(ObjectNode json, Map<String, NamedTensor> tensors, Map<String, Boolean> buffers,
      List<String> ops) {}

  /**
   * Builds the program of {@code model} with the tensors of its PyTorch twin's state_dict, asked for
   * only once every layer has a lowering.
   *
   * @throws UnsupportedOperationException naming every layer that has no ATen form, with why
   */
  public static Program build(InferredModel model, Supplier<Map<String, NamedTensor>> stateDict) {
    boolean transposed = model.nodes().stream().map(l -> l.spec().dataFormat())
        .anyMatch(f -> f == DataFormat.CHANNELS_LAST);
    List<String> refusals = new ArrayList<>();
    for (InferredModel.Layer layer : model.nodes()) {
      LoweringContext.Site site = new LoweringContext.Site(model, layer, transposed);
      Optional<String> why = AtenLowerings.find(layer.spec())
          .map(l -> l.refused(layer.spec(), site))
          .orElse(Optional.of("Sequent has no ATen lowering for " + layer.spec().typeName() + " layers"));
      if (why.isEmpty()) {
        why = ActivationLowering.refusedFused(LayerKinds.of(layer.spec()).fusedActivation(layer.spec()));
      }
      why.ifPresent(w -> refusals.add(layer.name() + " (" + layer.spec().typeName() + "): " + w));
    }
    if (!refusals.isEmpty()) {
      throw new UnsupportedOperationException(RuntimeMessage.EXPORT_WRITE_REFUSED.format(model.spec().name(),
          String.join("; ", refusals)));
    }

    // only now: a layer without a PyTorch twin (a Keras GRU(reset_after=False)) has no state_dict either
    Map<String, NamedTensor> torchTensors = stateDict.get();
    Map<String, Map<String, NamedParam>> paramsByLayer = new HashMap<>();
    for (NamedParam np : ParameterNames.of(model, Framework.TORCH)) {
      paramsByLayer.computeIfAbsent(np.layer(), k -> new LinkedHashMap<>()).put(np.spec().torchName(), np);
    }
    ProgramGraph graph = new ProgramGraph();
    Map<String, Map<Layout, Tensor>> values = new HashMap<>();
    for (ModelSpec.Input in : model.spec().inputs()) {
      LoweringContext.Site site = new LoweringContext.Site(model, model.nodes().get(0), transposed);
      Layout layout = site.isTransposedImage(in.shape()) ? Layout.TORCH : Layout.MODEL;
      int[] sizes = layout == Layout.TORCH
          ? new int[] {in.shape().dim(2), in.shape().dim(0), in.shape().dim(1)} : in.shape().toArray();
      Map<Layout, Tensor> m = LoweringContext.only(Layout.TORCH, graph.userInput(in.name(), sizes,
          AtenLowerings.inputDtype(model, in.name())));
      if (layout == Layout.MODEL) {
        m.put(Layout.MODEL, m.get(Layout.TORCH));
      }
      values.put(in.name(), m);
    }
    for (InferredModel.Layer layer : model.nodes()) {
      LoweringContext.Site site = new LoweringContext.Site(model, layer, transposed);
      List<Map<Layout, Tensor>> inputs = layer.node().inputs().stream().map(values::get).toList();
      Map<String, NamedParam> own = paramsByLayer.getOrDefault(model.weightOwner(layer).name(), Map.of());
      LoweringContext context = new LoweringContext(site, graph, inputs, torchName -> Optional.ofNullable(
          own.get(torchName)).map(np -> {
            NamedTensor t = torchTensors.get(np.torchName());
            if (t == null) {
              throw new IllegalStateException("the PyTorch state_dict has no " + np.torchName());
            }
            return graph.stateTensor(np.torchName(), t.shape(), !np.spec().trainable());
          }), "");
      LayerSpec spec = layer.spec();
      Lowered out = lower(AtenLowerings.find(spec).orElseThrow(), spec, context);
      out = ActivationLowering.applyFused(LayerKinds.of(spec).fusedActivation(spec), out, context);
      Map<Layout, Tensor> m = LoweringContext.only(out.layout(), out.tensor());
      if (!site.isTransposedImage(layer.outputShape())) {
        m.put(out.layout() == Layout.TORCH ? Layout.MODEL : Layout.TORCH, out.tensor());
      }
      values.put(layer.name(), m);
    }
    for (String output : model.spec().outputs()) {
      LoweringContext.Site site = new LoweringContext.Site(model, model.layer(output), transposed);
      LoweringContext context = new LoweringContext(site, graph, List.of(values.get(output)), n -> Optional.empty(), "");
      graph.output(context.in(values.get(output), model.layer(output).outputShape(), Layout.TORCH));
    }
    ObjectNode json = graph.toJson(model.spec().inputNames());
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    graph.stateTensors().keySet().forEach(k -> tensors.put(k, torchTensors.get(k)));
    return new Program(json, tensors, graph.stateTensors(), graph.ops());
  }

  @SuppressWarnings("unchecked")
  private static <L extends LayerSpec> Lowered lower(AtenLowering<L> lowering, LayerSpec spec, LoweringContext c) {
    return lowering.lower((L) spec, c);
  }

  /**
   * Writes {@code model} as a {@code .pt2} to {@code file}, replacing it atomically.
   *
   * @throws UnsupportedOperationException naming every layer with no ATen form; nothing is written
   */
  public static void write(InferredModel model, Supplier<Map<String, NamedTensor>> stateDict, Path file,
      WeightProgress progress) throws IOException {
    Program program = build(model, stateDict);
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".sequent", ".tmp");
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
        stored(zip, ROOT + "archive_format", "pt2".getBytes(StandardCharsets.US_ASCII));
        stored(zip, ROOT + "archive_version", ARCHIVE_VERSION.getBytes(StandardCharsets.US_ASCII));
        stored(zip, ROOT + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        stored(zip, ROOT + ".data/version", ZIP_VERSION.getBytes(StandardCharsets.US_ASCII));
        stored(zip, ROOT + "models/" + MODEL + ".json", JSON.writeValueAsBytes(program.json()));
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        ObjectNode entries = config.putObject("config");
        int index = 0;
        for (Map.Entry<String, NamedTensor> e : program.tensors().entrySet()) {
          NamedTensor t = e.getValue();
          String record = "weight_" + index++;
          boolean buffer = program.buffers().get(e.getKey());
          ObjectNode entry = entries.putObject(e.getKey());
          entry.put("path_name", record);
          entry.put("is_param", !buffer);
          entry.put("use_pickle", false);
          int[] sizes = java.util.Arrays.stream(t.shape()).mapToInt(Math::toIntExact).toArray();
          entry.set("tensor_meta", ProgramGraph.tensorMeta(new Tensor(e.getKey(), sizes,
              ProgramGraph.contiguous(sizes, false), false, ProgramGraph.FLOAT32), !buffer));
          ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
          b.asFloatBuffer().put(t.data());
          stored(zip, ROOT + "data/weights/" + record, b.array());
          progress.tensorDone(t.name(), 4L * t.size());
        }
        stored(zip, ROOT + "data/weights/" + MODEL + "_weights_config.json", JSON.writeValueAsBytes(config));
        stored(zip, ROOT + "data/constants/" + MODEL + "_constants_config.json",
            "{\"config\": {}}".getBytes(StandardCharsets.US_ASCII));
        stored(zip, ROOT + "data/sample_inputs/" + MODEL + ".pt", new byte[0]);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Zip entries stored uncompressed, as PyTorch stores them, with a fixed timestamp. */
  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L); // 1980-01-01, the zip epoch: identical bytes for identical models
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }
}
