package org.stratum4j.transport.nio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone: certificate chains, PKCS#8 keys
 * ({@code openssl req -x509 -nodes} writes these), and the traditional PKCS#1 RSA and SEC1 EC keys
 * that older OpenSSL and certbot setups still produce. Every failure is an
 * {@link IllegalArgumentException} that names the file and says what was expected.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private Pem() {
    }

    /** The certificates in {@code file}, leaf first, as servers send them. */
    static List<X509Certificate> certificates(Path file) {
        String text = read(file, "TLS certificate");
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(base64(m.group(2), file))));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("TLS certificate " + file + " is not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("TLS certificate " + file
                    + " holds no certificate (expected a PEM block -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /**
     * The private key in {@code file}, of the same algorithm as {@code publicKey} and checked to be
     * its pair (a signature made with it verifies), so a mismatched key fails at start, not at the
     * first miner's handshake.
     */
    static PrivateKey privateKey(Path file, PublicKey publicKey, Path certificateFile) {
        String text = read(file, "TLS key");
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = base64(m.group(2), file);
            byte[] pkcs8;
            switch (type) {
                case "PRIVATE KEY" -> pkcs8 = der;
                // Traditional keys are PKCS#8 minus the algorithm identifier; the certificate's public key
                // carries the very identifier needed (rsaEncryption, or id-ecPublicKey with its curve).
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> pkcs8 = wrapPkcs8(der, publicKey);
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("TLS key " + file
                        + " is encrypted; write an unencrypted copy readable only by the pool's user: "
                        + "openssl pkcs8 -in " + file + " -out key-plain.pem");
                default -> {
                    continue;
                }
            }
            PrivateKey key;
            try {
                key = KeyFactory.getInstance(publicKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("TLS key " + file + " is not a usable " + publicKey.getAlgorithm()
                        + " private key matching certificate " + certificateFile + ": " + e.getMessage(), e);
            }
            if (!pairs(key, publicKey)) {
                throw new IllegalArgumentException("TLS key " + file + " does not belong to the certificate " + certificateFile);
            }
            return key;
        }
        throw new IllegalArgumentException("TLS key " + file + " holds no private key (expected a PEM block "
                + "-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static boolean pairs(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm we cannot test; the handshake will tell
        }
        try {
            byte[] probe = "stratum4j key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(publicKey);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] wrapPkcs8(byte[] traditional, PublicKey publicKey) {
        byte[] algorithmId = firstElementOfSequence(publicKey.getEncoded());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithmId);
        writeTlv(body, 0x04, traditional);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTlv(out, 0x30, body.toByteArray());
        return out.toByteArray();
    }

    /** The first element (tag, length and value) inside a DER SEQUENCE. */
    private static byte[] firstElementOfSequence(byte[] der) {
        int inner = headerLength(der, 0);
        int length = headerLength(der, inner) + valueLength(der, inner);
        byte[] out = new byte[length];
        System.arraycopy(der, inner, out, 0, length);
        return out;
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    private static int valueLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[at + 2 + i] & 0xff);
        }
        return len;
    }

    private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(value);
    }

    private static byte[] base64(String body, Path file) {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM file " + file + " has a block that is not valid base64", e);
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " file " + file + ": " + e, e);
        }
    }
}
