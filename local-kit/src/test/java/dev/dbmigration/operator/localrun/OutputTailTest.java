package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutputTailTest {

  static void write(OutputTail tail, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    tail.write(bytes, 0, bytes.length);
  }

  static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n")
        .collect(Collectors.joining());
  }

  @Test
  void keepsShortOutputWhole() {
    OutputTail tail = new OutputTail();
    write(tail, "one\ntwo");

    assertThat(tail.text()).isEqualTo("one\ntwo");
  }

  @Test
  void isEmptyWithoutOutput() {
    assertThat(new OutputTail().text()).isEmpty();
  }

  @Test
  void keepsTheLast80Lines() {
    OutputTail tail = new OutputTail();
    write(tail, lines(1, 100));

    assertThat(tail.text()).isEqualTo(lines(21, 100));
  }

  @Test
  void countsAnUnterminatedLastLine() {
    OutputTail tail = new OutputTail();
    write(tail, lines(1, 99) + "last");

    assertThat(tail.text()).isEqualTo(lines(21, 99) + "last");
  }

  @Test
  void keepsAtMost2048BytesAcrossWrites() {
    OutputTail tail = new OutputTail();
    String longLine = "x".repeat(3000);
    write(tail, "start\n");
    write(tail, longLine.substring(0, 1000));
    write(tail, longLine.substring(1000) + "\nend");

    assertThat(tail.text()).hasSize(2048).endsWith("x\nend");
  }

  @Test
  void keepsTheEndOfOneLargeWrite() {
    OutputTail tail = new OutputTail();
    write(tail, "a".repeat(5000) + "tail");

    assertThat(tail.text()).hasSize(2048).endsWith("atail");
  }

  @Test
  void doesNotStartWithHalfACharacter() {
    OutputTail tail = new OutputTail();
    // 2049 bytes: the window starts inside the first "é" (two bytes).
    write(tail, "é" + "b".repeat(2047));

    assertThat(tail.text()).isEqualTo("b".repeat(2047));
  }
}
