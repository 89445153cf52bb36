package dev.sequent.runtime.io.keras;
// TEMPORARY STUB (not committed): replaced by the keras-reader branch.
public final class KerasReader { public static dev.sequent.runtime.io.WeightFile read(java.nio.file.Path p) { throw new UnsupportedOperationException("stub"); } }
