package dev.dbmigration.operator.database;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA certificates a database server's certificate must chain to, as PEM text read from a
 * ConfigMap or Secret at the moment of use. Nothing of it is secret; it is parsed once here so
 * that a bundle holding no certificate is named before any connection is tried.
 */
public record CaBundle(List<X509Certificate> certificates) {

  private static final Pattern CERTIFICATE_BLOCK = Pattern.compile(
      "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]{1,65536}?-----END CERTIFICATE-----");

  public CaBundle {
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("a CA bundle needs at least one certificate");
    }
  }

  /**
   * The certificates of {@code pem}; IllegalArgumentException saying why when there are none.
   * Only the CERTIFICATE blocks are read: anything else in the text (comments, and a private key
   * should a reference point at the wrong key) is passed over, never parsed or repeated.
   */
  public static CaBundle parse(String pem) {
    Objects.requireNonNull(pem, "pem");
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = CERTIFICATE_BLOCK.matcher(pem);
    while (block.find()) {
      try {
        Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(block.group()
                .getBytes(StandardCharsets.US_ASCII)));
        parsed.stream().filter(X509Certificate.class::isInstance)
            .map(X509Certificate.class::cast).forEach(certificates::add);
      } catch (CertificateException e) {
        throw new IllegalArgumentException("holds a certificate block that is not an X.509"
            + " certificate (certificate " + (certificates.size() + 1) + ")", e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return new CaBundle(certificates);
  }

  /** Trust in these certificates and no others (not the JVM's default CAs). */
  TrustManagerFactory trustManagers() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("an empty key store could not be made", e);
    }
    for (int i = 0; i < certificates.size(); i++) {
      store.setCertificateEntry("ca-" + i, certificates.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /** The certificates as PEM again, to hand to the driver through its properties. */
  String pem() {
    StringBuilder out = new StringBuilder();
    java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64,
        "\n".getBytes(StandardCharsets.US_ASCII));
    for (X509Certificate certificate : certificates) {
      try {
        out.append("-----BEGIN CERTIFICATE-----\n")
            .append(base64.encodeToString(certificate.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException("a parsed certificate could not be encoded again", e);
      }
    }
    return out.toString();
  }

  /** The subjects, for log lines. */
  public String describe() {
    return certificates.stream().map(c -> c.getSubjectX500Principal().getName())
        .reduce((a, b) -> a + "; " + b).orElse("");
  }
}
