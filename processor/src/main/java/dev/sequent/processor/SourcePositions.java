package dev.sequent.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;

/**
 * {@code BasicBlock.java:14} for an element, so that an error reported at a block's use can also
 * name the block's own line. Uses javac's Trees API where it is available (javac); elsewhere, or
 * for a block compiled earlier (no source), it names the element instead.
 */
final class SourcePositions {
  private final Trees trees;

  SourcePositions(ProcessingEnvironment env) {
    Trees t;
    try {
      t = Trees.instance(env);
    } catch (RuntimeException | LinkageError e) {
      t = null; // not javac: positions are unknown, messages name elements only
    }
    this.trees = t;
  }

  /** {@code File.java:line}, or the element's name when its source is not at hand. */
  String describe(Element element) {
    if (trees != null) {
      TreePath path = trees.getPath(element);
      if (path != null) {
        CompilationUnitTree unit = path.getCompilationUnit();
        long start = trees.getSourcePositions().getStartPosition(unit, path.getLeaf());
        String file = unit.getSourceFile().getName();
        file = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        if (start >= 0) {
          return file + ":" + unit.getLineMap().getLineNumber(start);
        }
        return file;
      }
    }
    return element.getEnclosingElement().getSimpleName() + "." + element.getSimpleName();
  }
}
