package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

  private static final String SECRET = "S3cr3t-Pa55";

  private static String redact(String text, String... secrets) {
    return Redactor.redact(text, List.of(secrets));
  }

  @Nested
  class KnownSecrets {

    @Test
    void secretInTheMiddleOfATracebackIsMaskedAndTheRestKept() {
      String traceback = String.join("\n",
          "Traceback (most recent call last):",
          "  File \"/app/migrations/env.py\", line 42, in run_migrations_online",
          "    connectable = engine_from_config(config, prefix=\"sqlalchemy.\")",
          "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at"
              + " \"10.0.0.1\", port 5432 failed: FATAL:  role \"" + SECRET + "\" does not exist",
          "(Background on this error at: https://sqlalche.me/e/20/e3q8)");

      String redacted = redact(traceback, SECRET);

      assertThat(redacted).doesNotContain(SECRET)
          .contains("FATAL:  role \"***\" does not exist")
          .startsWith("Traceback (most recent call last):\n  File \"/app/migrations/env.py\"")
          .endsWith("(Background on this error at: https://sqlalche.me/e/20/e3q8)");
      assertThat(redacted.lines()).hasSize(5);
    }

    @Test
    void urlEncodedSecretIsMaskedInEitherHexCaseAndFormEncoding() {
      String secret = "p@ss:w/rd#?% 'x";

      assertThat(redact("url=postgresql://app:p%40ss%3Aw%2Frd%23%3F%25%20%27x@db:5432/app", secret))
          .isEqualTo("url=postgresql://app:***@db:5432/app");
      assertThat(redact("dsn host=db secret p%40ss%3aw%2frd%23%3f%25+%27x end", secret))
          .isEqualTo("dsn host=db secret *** end");
      assertThat(redact("raw: <p@ss:w/rd#?% 'x>", secret)).isEqualTo("raw: <***>");
    }

    @Test
    void partlyEncodedSecretIsMaskedTooAsPythonQuoteLeavesSlashAlone() {
      assertThat(redact("see p%40ss:w/rd here", "p@ss:w/rd")).isEqualTo("see *** here");
    }

    @Test
    void backslashEscapedSecretInJsonOrAReprIsMasked() {
      String secret = "pa\"ss'wo\\rd";

      assertThat(redact("{\"detail\": \"pa\\\"ss'wo\\\\rd\"}", secret))
          .isEqualTo("{\"detail\": \"***\"}");
      assertThat(redact("('pa\"ss\\'wo\\\\rd',)", secret)).isEqualTo("('***',)");
    }

    @Test
    void nonAsciiSecretIsMaskedRawAndUtf8PercentEncoded() {
      assertThat(redact("a Gänseblümchen b G%C3%A4nsebl%C3%BCmchen c", "Gänseblümchen"))
          .isEqualTo("a *** b *** c");
    }

    // Any visible part of a secret helps guessing it, so it is masked inside longer words too.
    @Test
    void secretThatIsPartOfAWordIsStillMasked() {
      assertThat(redact("user hunter2 wrote hunter2s and xhunter2y", "hunter2"))
          .isEqualTo("user *** wrote ***s and x***y");
    }

    @ParameterizedTest(name = "a secret of {0} characters is left in running text")
    @ValueSource(ints = {1, 2, 3})
    void shortSecretsAreNotMaskedVerbatimSoTextSurvives(int length) {
      String secret = "abc".substring(0, length);
      String text = "database abc is at revision 1a2b3c, see table alembic_version";

      assertThat(redact(text, secret)).isEqualTo(text);
    }

    @ParameterizedTest(name = "a secret of {0} characters is still masked after password=")
    @ValueSource(ints = {1, 2, 3})
    void shortSecretsAreStillMaskedByTheGenericPatterns(int length) {
      String secret = "xyz".substring(0, length);

      assertThat(redact("password=" + secret + " postgresql://app:" + secret + "@db/app", secret))
          .isEqualTo("password=*** postgresql://app:***@db/app");
    }

    @Test
    void secretOfTheMinimumLengthIsMasked() {
      assertThat(Redactor.MIN_SECRET_LENGTH).isEqualTo(4);
      assertThat(redact("the key abcd opens", "abcd")).isEqualTo("the key *** opens");
    }

    @Test
    void everySecretIsMaskedAndTheLongerOneWhole() {
      String text = "user=app token=tok-123456 key=tok-123456-extra pass hunter22";

      assertThat(redact(text, "tok-123456", "tok-123456-extra", "hunter22"))
          .isEqualTo("user=app token=*** key=*** pass ***");
    }

    @Test
    void secretWithRegexCharactersIsTakenLiterally() {
      assertThat(redact("a.*b and a.*b? and axxb", "a.*b?")).isEqualTo("a.*b and *** and axxb");
    }

    @Test
    void secretIsFoundEvenWhenColourCodesSplitIt() {
      assertThat(redact("key: hun\u001B[1mter2\u001B[0m!", "hunter2")).isEqualTo("key: ***!");
    }

    @Test
    void nullAndBlankSecretsAreIgnored() {
      List<String> secrets = new ArrayList<>(Arrays.asList(null, "", "    ", "hunter2"));

      assertThat(Redactor.redact("hunter2 and   spaces", secrets)).isEqualTo("*** and   spaces");
      assertThat(Redactor.redact("hunter2", null)).isEqualTo("hunter2");
      assertThat(Redactor.redact("hunter2", Set.of())).isEqualTo("hunter2");
    }
  }

  @Nested
  class GenericPatterns {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "password=hunter2 next",
        "PASSWORD: hunter2 next",
        "Password = hunter2 next",
        "pwd=hunter2 next",
        "PGPASSWORD=hunter2 next",
        "export DB_PASSWORD=hunter2 next",
        "--db.password=hunter2 next",
        "passwd:hunter2 next",
    })
    void keyValuePasswordIsMaskedAndKeyKept(String text) {
      String redacted = redact(text);

      assertThat(redacted).doesNotContain("hunter2").endsWith("*** next");
      assertThat(redacted.substring(0, redacted.indexOf("***")))
          .isEqualTo(text.substring(0, text.indexOf("hunter2")));
    }

    @Test
    void quotedValuesAreMaskedWholeWithTheirQuotes() {
      assertThat(
          redact("{\"user\": \"app\", \"password\": \"two words\\\" here\", \"port\": 5432}"))
          .isEqualTo("{\"user\": \"app\", \"password\": \"***\", \"port\": 5432}");
      assertThat(redact("{'password': 'two words', 'host': 'db'}"))
          .isEqualTo("{'password': '***', 'host': 'db'}");
      assertThat(redact("password=\"cut off here\nnext line"))
          .isEqualTo("password=\"***\nnext line");
    }

    @Test
    void valueEndsAtTheSeparatorsOfQueryStringsAndDsns() {
      assertThat(redact("jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true"))
          .isEqualTo("jdbc:postgresql://db/app?user=app&password=***&ssl=true");
      assertThat(redact("Server=db;Uid=app;Pwd=hunter2;Database=app"))
          .isEqualTo("Server=db;Uid=app;Pwd=***;Database=app");
      assertThat(redact("host=db password=hunter2 dbname=app"))
          .isEqualTo("host=db password=*** dbname=app");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "postgresql://app:hunter2@db:5432/app",
        "postgres://app:hunter2@db/app",
        "postgresql+psycopg2://app:hunter2@db/app",
        "POSTGRESQL+ASYNCPG://app:hunter2@db/app",
        "mysql://app:hunter2@db/app",
    })
    void urlUserinfoPasswordIsMasked(String url) {
      String redacted = redact("engine = create_engine('" + url + "')");

      assertThat(redacted).doesNotContain("hunter2").contains("://app:***@db");
      assertThat(redacted).endsWith("/app')");
    }

    @Test
    void urlPasswordWithRawAtOrSlashIsMaskedUpToTheHost() {
      assertThat(redact("Could not parse URL 'postgresql://app:p@ss/w@rd@db:5432/app'"))
          .isEqualTo("Could not parse URL 'postgresql://app:***@db:5432/app'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "FATAL:  password authentication failed for user \"app\"",
        "Password for user app:",
        "postgresql://app@db:5432/app",
        "see http://example.com:8080/path?q=1 and https://sqlalche.me/e/20/e3q8",
        "password_hash: bcrypt",
        "INFO  [alembic.runtime.migration] Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70, add users",
    })
    void ordinaryTextIsLeftAlone(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }

    @Test
    void redactingTwiceChangesNothingMore() {
      String once = redact("password=hunter2 postgresql://app:hunter2@db/app hunter2", "hunter2");

      assertThat(redact(once, "hunter2")).isEqualTo(once);
    }
  }

  @Nested
  class ControlCharacters {

    @Test
    void ansiEscapesAreRemoved() {
      String coloured = "\u001B[1;31mERROR\u001B[0m [alembic] \u001B]8;;https://x.example\u0007link"
          + "\u001B]8;;\u001B\\ done\u001B(B\u001B[2K\u001B[1G";

      assertThat(redact(coloured)).isEqualTo("ERROR [alembic] link done");
    }

    @Test
    void lineEndsBecomeNewlinesAndTabsStay() {
      assertThat(redact("a\r\nb\rc\n\td")).isEqualTo("a\nb\nc\n\td");
    }

    @Test
    void otherControlCharactersAreReplaced() {
      assertThat(redact("nul\u0000 bell\u0007 bs\b del\u007F c1\u0085 esc\u001B"))
          .isEqualTo("nul\uFFFD bell\uFFFD bs\uFFFD del\uFFFD c1\uFFFD esc\uFFFD");
    }

    @Test
    void nullAndEmptyTextAreEmpty() {
      assertThat(Redactor.redact(null, List.of(SECRET))).isEmpty();
      assertThat(Redactor.redact("", List.of(SECRET))).isEmpty();
    }

    @Test
    void unicodeTextIsKept() {
      assertThat(redact("Größe ✓ 表 😀", SECRET)).isEqualTo("Größe ✓ 表 😀");
    }
  }

  @Nested
  class Tail {

    @Test
    void shortTextIsKeptWithoutMarker() {
      assertThat(Redactor.tail("a\nb\nc\n\n", 3, 100)).isEqualTo("a\nb\nc");
    }

    @Test
    void keepsTheLastLinesBehindTheMarker() {
      assertThat(Redactor.tail("1\n2\n3\n4\n5\n", 2, 100)).isEqualTo("…\n4\n5");
    }

    @Test
    void characterLimitIncludesTheMarkerAndDropsTheCutLine() {
      String text = "first line\nsecond line\nthird line";

      String tail = Redactor.tail(text, 10, 16);

      assertThat(tail).isEqualTo("…\nthird line");
      assertThat(tail.length()).isLessThanOrEqualTo(16);
    }

    @Test
    void cutAtALineStartKeepsThatLine() {
      assertThat(Redactor.tail("aaaa\nbbbb\ncccc", 10, 11)).isEqualTo("…\nbbbb\ncccc");
    }

    @Test
    void oneLongLineKeepsItsEnd() {
      assertThat(Redactor.tail("x".repeat(50) + "END", 5, 10)).isEqualTo("…\nxxxxxEND");
    }

    @Test
    void doesNotSplitASurrogatePair() {
      String tail = Redactor.tail("ab😀😀", 1, 5);

      assertThat(tail).isEqualTo("…\n😀");
    }

    @Test
    void nullIsEmpty() {
      assertThat(Redactor.tail(null, 5, 100)).isEmpty();
    }

    @Test
    void rejectsLimitsThatLeaveNoRoom() {
      assertThatThrownBy(() -> Redactor.tail("x", 0, 100))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Redactor.tail("x", 1, 2))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void excerptRedactsBeforeCuttingSoNoPieceOfASecretSurvives() {
      String secret = "0123456789abcdef";
      String text = "line one\nconnecting with " + secret + " failed";
      int maxChars = Redactor.CUT_MARKER.length() + " failed".length() + 8;

      assertThat(Redactor.tail(text, 5, maxChars)).as("cutting first leaves a piece")
          .contains("89abcdef");
      assertThat(Redactor.excerpt(text, List.of(secret), 5, maxChars))
          .isEqualTo("…\nwith *** failed");
    }
  }

  @Test
  void oneMegabyteIsRedactedCompletely() {
    String block = String.join("\n",
        "INFO  [alembic.runtime.migration] Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70",
        "\u001B[33mWARNING\u001B[0m connecting postgresql+psycopg2://app:" + SECRET + "@db/app",
        "    password=" + SECRET + " sslmode=require", "base64 " + "QUJDRA".repeat(40),
        "Traceback: role \"" + SECRET + "\" does not exist\r\n");
    StringBuilder text = new StringBuilder();
    while (text.length() < 1_000_000) {
      text.append(block).append('\n');
    }
    text.append("x".repeat(200_000)).append(" password: tail");
    List<String> secrets = List.of(SECRET, "another-secret", "p@ss:w/rd#?% 'x");
    String redacted = assertTimeoutPreemptively(BACKTRACKING_GUARD,
        () -> Redactor.redact(text.toString(), secrets));

    assertThat(redacted).doesNotContain(SECRET).endsWith("password: ***");
  }

  /*
   * Not a performance bound (the benchmark measures speed): a redaction that backtracks
   * quadratically over a megabyte runs for hours, a linear one for well under a second, so a
   * guard this wide only catches the former, however loaded the machine is.
   */
  private static final Duration BACKTRACKING_GUARD = Duration.ofSeconds(30);

  // Inputs shaped to make the patterns backtrack: each must stay linear, not quadratic.
  @ParameterizedTest(name = "1 MB of {0}")
  @ValueSource(strings = {
      "a://b:", "password=", "xpasswor.", "aaaa", "\u001B]", "%4", "\"password\":\"\\"})
  void adversarialMegabyteDoesNotBacktrack(String unit) {
    String text = unit.repeat(1_000_000 / unit.length());
    List<String> secrets = List.of("aaaa!", "%40%40%40", "b:a://");

    String redacted = assertTimeoutPreemptively(BACKTRACKING_GUARD,
        () -> Redactor.redact(text, secrets));

    assertThat(redacted).isNotNull();
  }
}
