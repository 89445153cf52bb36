package dev.sequent.runtime.exec;

import dev.sequent.model.layers.CustomLayer;
import dev.sequent.runtime.CustomForward;
import java.util.function.Function;

/**
 * What binding a layer needs from outside the layer and its parameters. Kept to one record so a
 * new need is a new component here rather than a new parameter on every {@link LayerOpFactory}.
 *
 * @param customForwards instantiates (and the network caches) the forward class of a custom
 *     layer: the class is loaded through the network's class loader, which the op cannot know
 * @param epilogue what the plan folded into this layer's output ({@link PlanFusion}); only ever
 *     other than {@link Epilogue#NONE} for a layer whose op {@linkplain LayerOpFactory#absorbs
 *     absorbs} it
 * @param source the layer the plan folded into this one's input ({@link PlanFusion}), whose input
 *     this layer then reads and whose output it computes itself; null unless this layer's op
 *     {@linkplain LayerOpFactory#readsThrough reads through} it
 */
public record OpContext(Function<CustomLayer, CustomForward> customForwards, Epilogue epilogue,
    ChannelSource source) {

  public OpContext(Function<CustomLayer, CustomForward> customForwards) {
    this(customForwards, Epilogue.NONE, null);
  }

  public OpContext withEpilogue(Epilogue e) {
    return new OpContext(customForwards, e, source);
  }

  public OpContext withSource(ChannelSource s) {
    return new OpContext(customForwards, epilogue, s);
  }
}
