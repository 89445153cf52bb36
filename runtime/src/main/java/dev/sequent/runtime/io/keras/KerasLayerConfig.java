package dev.sequent.runtime.io.keras;
// TEMPORARY STUB (not committed)
public record KerasLayerConfig(String className, String name, java.util.Map<String, Object> config, java.util.List<String> inboundLayerNames) {}
