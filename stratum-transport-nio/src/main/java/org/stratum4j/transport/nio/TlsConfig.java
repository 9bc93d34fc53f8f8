package org.stratum4j.transport.nio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The server side of a TLS listener ({@code stratum+ssl://}): the pool's certificate and key, and the
 * protocol versions offered (TLS 1.3 and 1.2 unless told otherwise). Immutable. Loading checks
 * everything it can at once (files readable, a certificate present, the key its pair, protocols
 * supported), so a bad setting fails at start with a sentence naming the file.
 *
 * <pre>
 * Listener.on(new InetSocketAddress(3334)).withTls(TlsConfig.fromPem(Path.of("cert.pem"), Path.of("key.pem")))
 * </pre>
 */
public final class TlsConfig {

    private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final List<String> protocols;
    private final X509Certificate certificate;

    private TlsConfig(SSLContext context, List<String> protocols, X509Certificate certificate) {
        this.context = context;
        this.protocols = protocols;
        this.certificate = certificate;
    }

    /**
     * A certificate chain (leaf first, as {@code fullchain.pem}) and its private key, both PEM: PKCS#8
     * ({@code BEGIN PRIVATE KEY}, what {@code openssl req -x509 -nodes} writes), PKCS#1 RSA or SEC1
     * EC. Encrypted keys are refused with the command that decrypts them.
     *
     * @throws IllegalArgumentException when a file is unreadable, holds no certificate or key, or the
     *     key is not the certificate's pair
     */
    public static TlsConfig fromPem(Path certificateChain, Path privateKey) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain = Pem.certificates(certificateChain);
        PrivateKey key = Pem.privateKey(privateKey, chain.get(0).getPublicKey(), certificateChain);
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("pool", key, password, chain.toArray(new Certificate[0]));
            return fromKeyStore(store, password, chain.get(0));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use TLS key " + privateKey + " with certificate " + certificateChain
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A PKCS#12 key store holding one private key entry and its chain.
     *
     * @throws IllegalArgumentException when the file is unreadable, the password wrong, or it holds no key
     */
    public static TlsConfig fromPkcs12(Path keyStore, char[] password) {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            X509Certificate leaf = null;
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    leaf = c;
                    break;
                }
            }
            if (leaf == null) {
                throw new IllegalArgumentException("TLS key store " + keyStore + " holds no private key with a certificate");
            }
            return fromKeyStore(store, password, leaf);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS key store " + keyStore + " (file missing or wrong password?): "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use TLS key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /** An {@link SSLContext} the caller built (an HSM, a reloading key manager); it must hold a server key. */
    public static TlsConfig of(SSLContext context) {
        return new TlsConfig(Objects.requireNonNull(context, "context"), DEFAULT_PROTOCOLS, null);
    }

    private static TlsConfig fromKeyStore(KeyStore store, char[] password, X509Certificate leaf) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return new TlsConfig(context, DEFAULT_PROTOCOLS, leaf);
    }

    /**
     * Offers only these protocol versions (for example {@code "TLSv1.3"} alone).
     *
     * @throws IllegalArgumentException when one is not supported by this JDK
     */
    public TlsConfig withProtocols(String... protocols) {
        List<String> list = List.copyOf(Arrays.asList(protocols));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("TLS protocols: at least one is needed, e.g. TLSv1.3");
        }
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        for (String p : list) {
            if (!supported.contains(p)) {
                throw new IllegalArgumentException("TLS protocol " + p + " is not supported; this JDK supports " + supported);
            }
        }
        return new TlsConfig(context, list, certificate);
    }

    /** The protocols offered. */
    public List<String> protocols() {
        return protocols;
    }

    /** The leaf certificate, when loaded from files (not for {@link #of}). */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    SSLEngine newServerEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(protocols.toArray(new String[0]));
        return engine;
    }

    @Override
    public String toString() {
        return "TLS " + protocols + (certificate == null ? ""
                : " " + certificate.getSubjectX500Principal().getName() + " until " + certificate.getNotAfter().toInstant());
    }
}
