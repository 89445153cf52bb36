package dev.sequent.runtime.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.report.KerasSummary;
import dev.sequent.runtime.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rows of Sequent's Keras summary of a loaded Functional graph against the table real Keras 3
 * printed for it ({@code <case>_summary.txt}, written by fixtures/make_graph_fixtures.py): one row
 * per input layer, one per layer however often it is called, its "Connected to" listing the inputs
 * of every call ({@code shared[1][0]} for a second call's output), and the totals. Compared cell by
 * cell with Keras' wrapped cells joined (this fixture was printed with {@code line_length=100});
 * {@code RealSummariesTest} compares the whole text, byte for byte, at the widths a terminal gives.
 */
class KerasGraphSummaryTest {

  @ParameterizedTest
  @ValueSource(strings = {"two_inputs", "shared_dense", "shared_conv", "two_inputs.h5", "shared_dense.h5"})
  void rowsAreKeras(String name) throws IOException {
    String stem = name.replace(".h5", "");
    String file = name.endsWith(".h5") ? name : name + ".keras";
    Network net = Network.load(KerasGraphTest.DIR.resolve(file));
    List<String> keras = Files.readAllLines(KerasGraphTest.DIR.resolve(stem + "_summary.txt"));
    List<List<String>> expected = kerasRows(keras);
    List<List<String>> actual = new ArrayList<>();
    for (KerasSummary.Row r : KerasSummary.rows(net.model())) {
      actual.add(List.of(r.layer() + " (" + r.type() + ")", r.outputShape(), String.format("%,d", r.params()),
          r.connectedTo()));
    }
    assertThat(actual).as(file).isEqualTo(expected);
    String ours = KerasSummary.render(net.model());
    for (String total : keras.stream().filter(l -> l.contains(" params: ")).toList()) {
      assertThat(ours).as(file).contains(total);
    }
  }

  /** The body rows of a rich table: cells between '│', a cell's wrapped lines joined by a space. */
  static List<List<String>> kerasRows(List<String> lines) {
    List<List<String>> rows = new ArrayList<>();
    List<StringBuilder> current = null;
    boolean body = false;
    for (String line : lines) {
      if (line.startsWith("┡")) {
        body = true;
        current = null;
      } else if (body && (line.startsWith("├") || line.startsWith("└"))) {
        if (current != null) {
          rows.add(current.stream().map(StringBuilder::toString).toList());
        }
        current = null;
      } else if (body && line.startsWith("│")) {
        String[] cells = line.substring(1, line.length() - 1).split("│");
        if (current == null) {
          current = new ArrayList<>();
          for (String ignored : cells) {
            current.add(new StringBuilder());
          }
        }
        for (int i = 0; i < cells.length; i++) {
          String c = cells[i].trim();
          if (!c.isEmpty()) {
            current.get(i).append(current.get(i).length() == 0 ? "" : " ").append(c);
          }
        }
      }
    }
    return rows;
  }
}
