package dev.sequent.dsl;

/**
 * The return type of every layer method in a {@link Sequential} or {@link Module} interface.
 * Methods are declarations, never called: the layer is the annotation on the method, its name is
 * the method's name.
 */
public interface Layer {}
