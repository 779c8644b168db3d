package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbmigration.operator.api.v1alpha1.SslMode;
import dev.dbmigration.operator.testing.TestCertificates;
import org.junit.jupiter.api.Test;

class CaBundleTest {

  @Test
  void aBundleOfSeveralCasKeepsThemAllAndSpellsThemAsPemAgain() {
    TestCertificates first = TestCertificates.authority("first");
    TestCertificates second = TestCertificates.authority("second");

    CaBundle bundle = CaBundle.parse("# our CAs\n" + first.caPem() + second.caPem());

    assertThat(bundle.certificates()).hasSize(2);
    assertThat(bundle.describe()).isEqualTo("CN=first; CN=second");
    assertThat(CaBundle.parse(bundle.pem())).isEqualTo(bundle);
  }

  @Test
  void textWithoutACertificateIsRefusedSayingSo() {
    assertThatThrownBy(() -> CaBundle.parse(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() -> CaBundle.parse("-----BEGIN CERTIFICATE-----\nnot base64\n"
        + "-----END CERTIFICATE-----\n"))
        .isInstanceOf(IllegalArgumentException.class);
    String serverKey = TestCertificates.authority("ca").server(java.util.List.of("db"))
        .keyPem();
    assertThatThrownBy(() -> CaBundle.parse(serverKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PEM certificate");
  }

  @Test
  void aModeThatVerifiesNeedsABundleAndTheOthersTakeNone() {
    CaBundle bundle = CaBundle.parse(TestCertificates.authority("ca").caPem());

    assertThat(new ConnectionTls(SslMode.VERIFY_CA, bundle).ca()).isSameAs(bundle);
    assertThat(new ConnectionTls(SslMode.REQUIRE, null).mode()).isEqualTo(SslMode.REQUIRE);
    assertThatThrownBy(() -> new ConnectionTls(SslMode.VERIFY_FULL, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConnectionTls(SslMode.PREFER, bundle))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
