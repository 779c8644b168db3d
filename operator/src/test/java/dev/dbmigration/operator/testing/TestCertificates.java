package dev.dbmigration.operator.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: a CA, and server certificates it signs for
 * given addresses (as a database server's names), all as PEM. EC P-256 keys: made in
 * milliseconds, and PostgreSQL, libpq and pgjdbc all take them.
 */
public final class TestCertificates {

  private final String name;
  private final KeyPair key;
  private final X509Certificate certificate;

  private TestCertificates(String name, KeyPair key, X509Certificate certificate) {
    this.name = name;
    this.key = key;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code name}. */
  public static TestCertificates authority(String name) {
    try {
      KeyPair key = keyPair();
      X500Name subject = new X500Name("CN=" + name);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(Instant.now().minus(Duration.ofMinutes(5))),
          Date.from(Instant.now().plus(Duration.ofDays(2))), subject, key.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCertificates(name, key, sign(builder, key));
    } catch (Exception e) {
      throw new IllegalStateException("the test CA could not be made", e);
    }
  }

  /** The CA's certificate as PEM: what a resource's tls.ca holds. */
  public String caPem() {
    return pem(certificate);
  }

  /**
   * A server certificate signed by this CA, naming {@code names}: IP addresses go in as IP
   * subject alternative names, the rest as DNS names.
   */
  public Server server(List<String> names) {
    try {
      KeyPair serverKey = keyPair();
      GeneralName[] alternatives = names.stream().map(TestCertificates::generalName)
          .toArray(GeneralName[]::new);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
          Date.from(Instant.now().minus(Duration.ofMinutes(5))),
          Date.from(Instant.now().plus(Duration.ofDays(1))),
          new X500Name("CN=" + names.get(0)), serverKey.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      X509Certificate signed = sign(builder, key);
      return new Server(pem(signed), pem(serverKey.getPrivate()));
    } catch (Exception e) {
      throw new IllegalStateException("the server certificate could not be made", e);
    }
  }

  @Override
  public String toString() {
    return "test CA " + name;
  }

  /** A server's certificate and private key (PKCS#8), as PEM. */
  public record Server(String certificatePem, String keyPem) {
  }

  private static GeneralName generalName(String name) {
    boolean ip = name.matches("[0-9.]+") || name.contains(":");
    return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName,
        ip ? literalAddress(name) : name);
  }

  private static String literalAddress(String ip) {
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA")
        .build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object instanceof java.security.PrivateKey key
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate() : object);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
