package dev.sequent.model;

/**
 * The vocabulary a layer was declared in. It decides the layout its parameters are stored in
 * (Keras: dense kernels (in, out), conv kernels HWIO; PyTorch: (out, in) and OIHW), its default
 * hyperparameters (BatchNorm eps 1e-3 vs 1e-5) and the class name shown in summaries.
 */
public enum Framework {
  KERAS,
  TORCH
}
