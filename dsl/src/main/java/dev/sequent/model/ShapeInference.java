package dev.sequent.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a {@link ModelSpec} and infers every shape: wiring (unknown names, duplicates, cycles),
 * data-format consistency, then each layer's shape rule in execution order. Collects every problem
 * it can rather than stopping at the first, but does not report a layer whose input is already
 * broken (one mistake, one error).
 */
public final class ShapeInference {

  private ShapeInference() {}

  /** The outcome: the inferred model when there were no problems, otherwise the problems. */
  public record Result(InferredModel model, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    /** The model, or an {@link IllegalStateException} listing every problem. */
    public InferredModel orThrow() {
      if (!ok()) {
        throw new IllegalStateException(problems.stream()
            .map(p -> (p.node() == null ? "" : p.node() + ": ") + p.message())
            .collect(Collectors.joining("\n")));
      }
      return model;
    }
  }

  public static InferredModel inferOrThrow(ModelSpec spec) {
    return infer(spec).orThrow();
  }

  public static Result infer(ModelSpec spec) {
    List<Problem> problems = new ArrayList<>();
    Set<String> inputNames = new HashSet<>();
    for (ModelSpec.Input input : spec.inputs()) {
      String which = spec.inputs().size() == 1 ? "" : "input " + input.name() + ": ";
      if (!inputNames.add(input.name())) {
        problems.add(new Problem(Problem.Kind.DUPLICATE_NAME, null, "input",
            "model " + spec.name() + " declares input \"" + input.name() + "\" twice"));
      }
      if (input.shape() == null || input.shape().rank() == 0) {
        problems.add(new Problem(Problem.Kind.MODEL, null, "input",
            which + "model " + spec.name() + " has no input shape; declare it once, e.g. input = {1, 28, 28}"));
        continue;
      }
      for (int d : input.shape().dims()) {
        if (d <= 0) {
          problems.add(new Problem(Problem.Kind.MODEL, null, "input",
              which + "input shape " + input.shape() + " has a non-positive dimension"));
          break;
        }
      }
    }
    if (spec.nodes().isEmpty()) {
      problems.add(new Problem(Problem.Kind.MODEL, null, null, "model " + spec.name() + " declares no layers"));
    }
    Map<String, Node> byName = new LinkedHashMap<>();
    for (Node n : spec.nodes()) {
      if (n.name().equals(ModelSpec.INPUT) || inputNames.contains(n.name())) {
        problems.add(new Problem(Problem.Kind.DUPLICATE_NAME, n.name(), null,
            "layer name \"" + n.name() + "\" is reserved for the model input"));
      } else if (byName.putIfAbsent(n.name(), n) != null) {
        problems.add(new Problem(Problem.Kind.DUPLICATE_NAME, n.name(), null,
            "duplicate layer name \"" + n.name() + "\"; every layer needs its own name"));
      }
    }
    for (Node n : spec.nodes()) {
      for (String in : n.inputs()) {
        if (!spec.isInput(in) && !byName.containsKey(in)) {
          List<String> known = new ArrayList<>(byName.keySet());
          known.addAll(inputNames);
          problems.add(new Problem(Problem.Kind.UNKNOWN_INPUT, n.name(), "from",
              "no layer named \"" + in + "\"" + didYouMean(in, known)));
        }
      }
      if (n.sharesWeights()) {
        Node owner = byName.get(n.sharesWeightsOf());
        if (owner == null || owner.sharesWeights() || owner == n) {
          problems.add(new Problem(Problem.Kind.UNKNOWN_INPUT, n.name(), "shares",
              "shares the weights of \"" + n.sharesWeightsOf() + "\", which is no layer with weights of its own"
                  + didYouMean(n.sharesWeightsOf(), byName.keySet())));
        } else if (!n.layer().isCallOf(owner.layer())) {
          problems.add(new Problem(Problem.Kind.HYPERPARAMETER, n.name(), "shares",
              describe(n) + " shares the weights of " + describe(owner) + " but is another layer; a layer used "
                  + "twice is the same layer"));
        }
      }
    }
    for (String output : spec.outputs()) {
      if (!spec.nodes().isEmpty() && !byName.containsKey(output)) {
        problems.add(new Problem(Problem.Kind.MODEL, null, "output",
            "output layer \"" + output + "\" does not exist" + didYouMean(output, byName.keySet())));
      }
    }
    checkDataFormats(spec, problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    List<Node> order = topologicalOrder(spec, byName, problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }

    Map<String, Shape> shapes = new HashMap<>();
    Map<String, String> chainFrom = new HashMap<>();
    spec.inputs().forEach(in -> shapes.put(in.name(), in.shape()));
    Set<String> broken = new HashSet<>();
    List<InferredModel.Layer> layers = new ArrayList<>();
    for (Node n : order) {
      if (n.inputs().stream().anyMatch(broken::contains)) {
        broken.add(n.name());
        continue;
      }
      List<Shape> inShapes = n.inputs().stream().map(shapes::get).toList();
      try {
        if (n.inputs().size() != n.layer().arity()) {
          throw new ShapeException("from", n.layer().typeName() + " takes " + n.layer().arity()
              + " input(s) but is wired to " + n.inputs().size() + ": " + n.inputs());
        }
        if (n.layer().readsIntegerIds() && !n.inputs().stream().allMatch(spec::isInput)) {
          // Ids are only exact as the model input: a computed tensor holds values, not ids.
          throw new ShapeException(n.layer().typeName() + " reads integer ids, so it must take the model input "
              + "directly, but it is wired to " + n.inputs());
        }
        Shape out = n.layer().outputShape(inShapes);
        List<ParamSpec> params = n.layer().params(inShapes);
        if (n.sharesWeights()) {
          // The owner holds the parameters; this call must fit them (a Dense called on another width does not).
          InferredModel.Layer owner = layers.stream().filter(l -> l.name().equals(n.sharesWeightsOf())).findFirst()
              .orElse(null);
          if (owner != null && !paramShapes(owner.params()).equals(paramShapes(params))) {
            throw new ShapeException(null, "shares the weights of " + owner.name() + " " + paramShapes(owner.params())
                + " but its input " + inShapes + " needs weights " + paramShapes(params));
          }
          params = List.of();
        }
        shapes.put(n.name(), out);
        chainFrom.put(n.name(), n.inputs().get(0));
        layers.add(new InferredModel.Layer(n, inShapes, out, params));
      } catch (ShapeException e) {
        broken.add(n.name());
        String detail = e.getMessage();
        if (n.inputs().size() > 1) {
          detail += "\n  inputs: " + n.inputs().stream().map(i -> i + " " + shapes.get(i))
              .collect(Collectors.joining(", "));
        }
        problems.add(new Problem(e.attribute() == null ? Problem.Kind.SHAPE : Problem.Kind.HYPERPARAMETER,
            n.name(), e.attribute(),
            describe(n) + ": " + detail + "\n  shape chain: " + chain(n.inputs().get(0), shapes, chainFrom)));
      }
    }
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    return new Result(new InferredModel(spec, layers), List.of());
  }

  private static List<Shape> paramShapes(List<ParamSpec> params) {
    return params.stream().map(p -> p.shape(Framework.KERAS)).toList();
  }

  /** {@code f6 (Linear in=400)}: how a layer is named in diagnostics. */
  public static String describe(Node n) {
    return n.name() + " (" + n.layer().typeName() + ")";
  }

  /** {@code input [1,28,28] -> c1 [6,28,28] -> ...}, wrapped so that long chains stay readable. */
  static String chain(String last, Map<String, Shape> shapes, Map<String, String> chainFrom) {
    List<String> steps = new ArrayList<>();
    for (String at = last; at != null; at = chainFrom.get(at)) {
      steps.add(0, at + " " + shapes.get(at));
      if (!chainFrom.containsKey(at)) {
        break; // a model input
      }
    }
    StringBuilder sb = new StringBuilder();
    int lineLength = 0;
    for (int i = 0; i < steps.size(); i++) {
      String step = (i == 0 ? "" : " -> ") + steps.get(i);
      if (lineLength + step.length() > 90 && i > 0) {
        sb.append("\n               ");
        lineLength = 15;
        step = "-> " + steps.get(i);
      }
      sb.append(step);
      lineLength += step.length();
    }
    return sb.toString();
  }

  private static void checkDataFormats(ModelSpec spec, List<Problem> problems) {
    Node first = null;
    for (Node n : spec.nodes()) {
      DataFormat f = n.layer().dataFormat();
      if (f == null) {
        continue;
      }
      if (first == null) {
        first = n;
      } else if (first.layer().dataFormat() != f) {
        problems.add(new Problem(Problem.Kind.MIXED_DATA_FORMAT, n.name(), null,
            describe(n) + " is " + f.kerasName() + " but " + describe(first) + " is "
                + first.layer().dataFormat().kerasName()
                + "; Keras layers are channels-last and PyTorch layers channels-first, so use one vocabulary "
                + "for the image layers of a model"));
        return;
      }
    }
  }

  /** Kahn's algorithm, ties broken by declaration order so that the order is deterministic. */
  private static List<Node> topologicalOrder(ModelSpec spec, Map<String, Node> byName, List<Problem> problems) {
    Map<String, Integer> pending = new LinkedHashMap<>();
    Map<String, List<String>> readers = new HashMap<>();
    for (Node n : spec.nodes()) {
      int count = 0;
      for (String in : n.inputs()) {
        if (!spec.isInput(in)) {
          count++;
          readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.name());
        }
      }
      if (n.sharesWeights() && byName.containsKey(n.sharesWeightsOf())) {
        count++; // after its owner, whose parameters it checks its own against
        readers.computeIfAbsent(n.sharesWeightsOf(), k -> new ArrayList<>()).add(n.name());
      }
      pending.put(n.name(), count);
    }
    List<Node> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    boolean progress = true;
    while (progress && order.size() < spec.nodes().size()) {
      progress = false;
      for (Node n : spec.nodes()) {
        if (!done.contains(n.name()) && pending.get(n.name()) == 0) {
          done.add(n.name());
          order.add(n);
          for (String r : readers.getOrDefault(n.name(), List.of())) {
            pending.merge(r, -1, Integer::sum);
          }
          progress = true;
          break;
        }
      }
    }
    if (order.size() < spec.nodes().size()) {
      Node start = spec.nodes().stream().filter(n -> !done.contains(n.name())).findFirst().orElseThrow();
      problems.add(new Problem(Problem.Kind.CYCLE, start.name(), "from",
          "wiring forms a cycle: " + findCycle(spec, start, byName, done)));
    }
    return order;
  }

  private static String findCycle(ModelSpec spec, Node start, Map<String, Node> byName, Set<String> done) {
    List<String> path = new ArrayList<>();
    Node at = start;
    while (!path.contains(at.name())) {
      path.add(at.name());
      Node next = null;
      for (String in : at.inputs()) {
        if (!spec.isInput(in) && !done.contains(in)) {
          next = byName.get(in);
          break;
        }
      }
      if (next == null) {
        break;
      }
      at = next;
    }
    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at.name()), path.size()));
    cycle.add(at.name());
    // Wiring points backwards (a layer names what it reads); show data flow forwards.
    java.util.Collections.reverse(cycle);
    return String.join(" -> ", cycle);
  }

  /** {@code ; did you mean "stem"?} for the closest name within a small edit distance. */
  public static String didYouMean(String wrong, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(wrong, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= Math.max(2, wrong.length() / 3)) {
      return "; did you mean \"" + best + "\"?";
    }
    return "";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
