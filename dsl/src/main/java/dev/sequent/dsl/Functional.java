package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A layer that the equivalent PyTorch model computes in {@code forward()} rather than as a
 * submodule, such as torchvision's {@code torch.flatten(x, 1)}: it runs and is shape-checked like
 * any layer, but summaries do not list it and it takes no position among numbered children.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Functional {}
