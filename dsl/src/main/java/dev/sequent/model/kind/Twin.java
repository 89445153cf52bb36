package dev.sequent.model.kind;

import dev.sequent.model.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A layer's Keras twin (its equivalent in the Keras vocabulary, channels-last), or the reason it
 * has none. See {@link dev.sequent.model.report.KerasTwin}.
 *
 * <p>The twin is a short chain of Keras layers, applied in order: usually one, but a PyTorch
 * option that Keras spells as a layer of its own becomes a helper layer before or after the main
 * one (explicit padding: {@code ZeroPadding2D} then a "valid" {@code Conv2D}; a padded
 * {@code ConvTranspose2d}: {@code Conv2DTranspose} then {@code Cropping2D}). Exactly one link is
 * the {@linkplain Link#main main} one: it keeps the layer's name and takes all its weights; each
 * helper is named {@code <layer>_<suffix>} and has no weights, so the weights Sequent exports for
 * the layer and their Keras 3 paths (class-based, counted per class) are those of the main link.
 *
 * @param chain the twin's layers in order; empty when there is none
 * @param whyNone a sentence saying why there is no twin; empty when there is one
 */
public record Twin(List<Link> chain, Optional<String> whyNone) {

  /**
   * One layer of a twin.
   *
   * @param suffix empty for the main link, which keeps the layer's name; otherwise what is appended
   *     (after {@code _}) to the layer's name to name this helper ({@code pad}, {@code crop})
   * @param layer the Keras-vocabulary layer
   */
  public record Link(String suffix, LayerSpec layer) {
    /** Whether this is the link that keeps the layer's name and weights. */
    public boolean main() {
      return suffix.isEmpty();
    }
  }

  public Twin {
    chain = List.copyOf(chain);
    if (chain.isEmpty() == whyNone.isEmpty()) {
      throw new IllegalArgumentException("a twin has either layers or a reason for having none");
    }
    if (!chain.isEmpty() && chain.stream().filter(Link::main).count() != 1) {
      throw new IllegalArgumentException("a twin's chain needs exactly one main link (empty suffix): " + chain);
    }
  }

  /** A twin of one layer. */
  public static Twin of(LayerSpec layer) {
    return new Twin(List.of(new Link("", layer)), Optional.empty());
  }

  /** A twin that is {@code main} with helper layers before and after it (either list may be empty). */
  public static Twin chain(List<Link> before, LayerSpec main, List<Link> after) {
    List<Link> all = new ArrayList<>(before);
    all.add(new Link("", main));
    all.addAll(after);
    return new Twin(all, Optional.empty());
  }

  /** A helper link of a chain. */
  public static Link helper(String suffix, LayerSpec layer) {
    if (suffix.isEmpty()) {
      throw new IllegalArgumentException("a helper layer needs a suffix");
    }
    return new Link(suffix, layer);
  }

  public static Twin none(String why) {
    return new Twin(List.of(), Optional.of(why));
  }

  /** The main link's layer (the one that keeps the layer's name and weights); empty when there is no twin. */
  public Optional<LayerSpec> layer() {
    return chain.stream().filter(Link::main).map(Link::layer).findFirst();
  }
}
