package dev.sequent.runtime.io.keras;
// TEMPORARY STUB (not committed)
public record KerasModelConfig(String className, String name, java.util.List<KerasLayerConfig> layers, java.util.List<String> inputLayers, java.util.List<String> outputLayers, java.util.Optional<java.util.List<Integer>> inputShape) {
  public static KerasModelConfig parse(String json) { throw new UnsupportedOperationException("stub"); }
}
