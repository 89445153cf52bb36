package dev.sequent.processor;

/**
 * Every diagnostic the processor reports, with a stable tag. Shape and wiring problems found by
 * {@code ShapeInference} are reported under the tag of their {@code Problem.Kind}; the others are
 * about how the Java declaration itself is written.
 */
enum Message {
  SHAPE("%s"),
  HYPERPARAMETER("%s"),
  UNKNOWN_INPUT("%s"),
  CYCLE("%s"),
  DUPLICATE_NAME("%s"),
  MIXED_DATA_FORMAT("%s"),
  MODEL("%s"),
  NOT_AN_INTERFACE("@%s must annotate an interface; %s is a %s"),
  LAYER_METHOD_HAS_PARAMETERS("layer method %s() must take no parameters: a layer is a declaration, not a call"),
  LAYER_METHOD_RETURN_TYPE("method %s() must return dev.sequent.dsl.Layer to declare a layer (it returns %s)"),
  NO_LAYER_ANNOTATION("layer %s() has no layer annotation; add one such as @Dense, @Conv2d or @ReLU"),
  TWO_LAYER_ANNOTATIONS("layer %s() has %s; a method declares exactly one layer"),
  FROM_IN_SEQUENTIAL("@From on %s(): layers of a @Sequential model read the layer before them; use @Module for explicit wiring"),
  ADD_WITHOUT_FROM("%s (@Add) needs the layers to add: @Add(from = {\"a\", \"b\"})"),
  NOT_A_CUSTOM_LAYER("@Custom(%s.class) on %s(): %s is not annotated with @CustomLayer"),
  CUSTOM_TYPE_MISSING("%s: %s, used as a @Custom layer or a block, could not be resolved"),
  BLOCK("%s"),
  BLOCK_ONLY("%s on %s(): only layers inside a @Block take it (a block's parameters are what it refers to)"),
  BLOCK_IN_SEQUENTIAL("@Use/@Stage on %s(): blocks are named children of a @Module; declare the model @Module"),
  STAGE_FORM("@Stage %s: give either value = {@Use(...), ...} or block = X.class with count > 0"),
  NOT_A_BLOCK("%s used by %s() is not a block: annotate the interface %s with @Block"),
  RECURSIVE_BLOCK("block %s uses itself (at %s); a block cannot contain itself"),
  EMPTY_BLOCK("block %s declares no layers"),
  INPUT_IN_SEQUENTIAL("@Input on %s(): a @Sequential model has one input, declared as @Sequential(input = ...); use @Module for several"),
  INPUT_TWICE("@Input on %s(): the model's input is declared in @Module(input = ...) already; declare every input as an @Input method, or only the one in @Module"),
  NO_INPUT("%s declares no input: give @Module(input = {...}) or one @Input({...}) method per input"),
  INTERNAL_ERROR("internal error while processing %s; please report it:%n%s");

  private final String format;

  Message(String format) {
    this.format = format;
  }

  String format(Object... args) {
    return "[sequent] " + String.format(format, args);
  }
}
