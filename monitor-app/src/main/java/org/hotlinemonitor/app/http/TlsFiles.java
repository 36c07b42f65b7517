package org.hotlinemonitor.app.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The HTTP server's TLS identity from PEM files, as operators have them: a certificate file (the server's
 * certificate first, then any intermediates) and an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}; RSA
 * or EC). A PKCS#1 or SEC1 key ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}) is refused with the
 * {@code openssl} command that converts it; so is a key that does not belong to the certificate.
 *
 * <p>Read once, at start: a renewed certificate takes a restart (or terminate TLS at a reverse proxy that reloads).
 */
public final class TlsFiles {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private TlsFiles() {
    }

    /** The files cannot be used: the message names the file and what is wrong. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A server-side {@link SSLContext} (TLS 1.2 and 1.3, the JDK's defaults) for {@code cert} and {@code key}. */
    public static SSLContext serverContext(Path cert, Path key) throws Invalid {
        List<X509Certificate> chain = certificates(cert);
        PrivateKey privateKey = privateKey(key);
        matches(chain.get(0), privateKey, cert, key);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", privateKey, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new Invalid(cert + ", " + key + ": cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws Invalid {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (!b.type().equals("CERTIFICATE")) {
                    throw new Invalid(file + ": expected CERTIFICATE blocks, found " + b.type(), null);
                }
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        } catch (CertificateException e) {
            throw new Invalid(file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new Invalid(file + ": no -----BEGIN CERTIFICATE----- block", null);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws Invalid {
        List<Block> blocks = blocks(file);
        if (blocks.size() != 1) {
            throw new Invalid(file + ": expected one -----BEGIN PRIVATE KEY----- block, found " + blocks.size(), null);
        }
        Block b = blocks.get(0);
        switch (b.type()) {
            case "PRIVATE KEY" -> {
            }
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new Invalid(file + ": BEGIN " + b.type() + " is not read here; convert the key to PKCS#8: "
                    + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem", null);
            case "ENCRYPTED PRIVATE KEY" -> throw new Invalid(file + ": the key is encrypted; give it unencrypted (and readable by "
                    + "this process only): openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem", null);
            default -> throw new Invalid(file + ": expected a PRIVATE KEY block, found " + b.type(), null);
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der()));
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has RSA and EC", e);
            }
        }
        throw new Invalid(file + ": not an RSA or EC private key", null);
    }

    /** Signs with the key and verifies with the certificate: a key of another certificate fails every handshake. */
    private static void matches(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) throws Invalid {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "hotline-monitor".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            if (verify.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another kind than the certificate's: reported below
        }
        throw new Invalid(keyFile + ": this key does not belong to the certificate in " + certFile + " ("
                + cert.getSubjectX500Principal().getName() + ")", null);
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws Invalid {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read (" + e + ")", e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new Invalid(file + ": a " + m.group(1) + " block that is not base64", e);
            }
        }
        return out;
    }
}
