package dev.sequent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The catalogue's contract, for the messages moved into it later as much as for today's. */
class RuntimeMessageTest {

  /**
   * Every format takes {@code %s} arguments only (any other conversion fails on a string, or
   * prints something other than the argument's {@code toString()}), and the tag is the
   * constant's name.
   */
  @ParameterizedTest
  @EnumSource(RuntimeMessage.class)
  void formatsTakeStringArgumentsOnly(RuntimeMessage message) {
    Object[] args = Collections.nCopies(8, "<arg>").toArray();
    String text = message.format(args);
    assertThat(text).doesNotContain("%").isNotBlank();
    assertThat(message.tag()).isEqualTo(message.name());
  }
}
