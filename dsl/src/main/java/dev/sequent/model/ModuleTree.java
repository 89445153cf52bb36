package dev.sequent.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The module structure behind a flat {@link ModelSpec} whose blocks were expanded in place: which
 * dotted node-name prefixes are modules of their own (a {@code BasicBlock}, an {@code nn.Sequential}
 * stage), their class names and outputs, and which nodes are code in a {@code forward()} rather
 * than modules. The network model itself stays flat (one node per layer, named
 * {@code layer1.0.conv1}); this record only adds what summaries need to print the tree a framework
 * prints (torchinfo's {@code ├─BasicBlock: 2-1}). Depth follows from nesting: a top-level layer or
 * module has depth 1, a module's children its depth plus one.
 *
 * @param modules the containers in declaration order, outer before inner
 * @param functional names of nodes that the equivalent PyTorch model computes in code (not listed)
 * @param inputLayer the name a Keras file gives the input layer of a single-input model, whose
 *     flat model calls its input {@value ModelSpec#INPUT} (Keras' summary lists the layer by
 *     name); empty for Keras' default {@code input_layer}
 */
public record ModuleTree(List<Container> modules, List<String> functional, java.util.Optional<String> inputLayer) {

  /** A model without blocks: every layer a top-level module. */
  public static final ModuleTree FLAT = new ModuleTree(List.of(), List.of());

  public ModuleTree {
    modules = List.copyOf(modules);
    functional = List.copyOf(functional);
    java.util.Objects.requireNonNull(inputLayer, "inputLayer");
  }

  /** A tree whose single input, if any, has Keras' default name. */
  public ModuleTree(List<Container> modules, List<String> functional) {
    this(modules, functional, java.util.Optional.empty());
  }

  /**
   * One container module.
   *
   * @param path its dotted name ({@code layer1}, {@code layer1.0}, {@code layer2.0.downsample})
   * @param className the class summaries show ({@code Sequential}, {@code BasicBlock})
   * @param output the node whose output is the container's output
   */
  public record Container(String path, String className, String output) {
    /** Whether {@code nodeName} lies inside this container. */
    public boolean contains(String nodeName) {
      return nodeName.startsWith(path + ".");
    }
  }

  public boolean isFlat() {
    return modules.isEmpty() && functional.isEmpty() && inputLayer.isEmpty();
  }

  public boolean isFunctional(String nodeName) {
    return functional.contains(nodeName);
  }

  /** The containers enclosing a node or container, outermost first. */
  public List<Container> enclosing(String name) {
    List<Container> out = new ArrayList<>();
    for (Container c : modules) {
      if (c.contains(name)) {
        out.add(c);
      }
    }
    out.sort((a, b) -> Integer.compare(a.path().length(), b.path().length()));
    return out;
  }
}
