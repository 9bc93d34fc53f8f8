package org.stratum4j.transport.nio;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How a {@link StratumClient} checks the pool over TLS ({@code stratum+ssl://}): whose certificates
 * it trusts and which name the certificate must carry (by default the host it connects to, sent
 * as SNI too). Immutable.
 */
public final class ClientTls {

    private final SSLContext context;
    private final boolean verifyName;
    private final String serverName;

    private ClientTls(SSLContext context, boolean verifyName, String serverName) {
        this.context = context;
        this.verifyName = verifyName;
        this.serverName = serverName;
    }

    /** Trusts the certificate authorities of the JDK's trust store, as a browser would. */
    public static ClientTls systemTrust() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return new ClientTls(context, true, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no usable TLS", e);
        }
    }

    /**
     * Trusts only the certificates in a PEM file: a pool's self-signed certificate or a private CA.
     *
     * @throws IllegalArgumentException when the file is unreadable or holds no certificate
     */
    public static ClientTls trusting(Path pemCertificates) {
        List<X509Certificate> certificates = Pem.certificates(Objects.requireNonNull(pemCertificates, "pemCertificates"));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new ClientTls(context, true, null);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot trust the certificates in " + pemCertificates + ": " + e.getMessage(), e);
        }
    }

    /** A context the caller built; the server name is still verified. */
    public static ClientTls of(SSLContext context) {
        return new ClientTls(Objects.requireNonNull(context, "context"), true, null);
    }

    /**
     * Encrypts but trusts any certificate and any name: for load tests and tools on loopback only,
     * since anyone in the path can pose as the pool.
     */
    public static ClientTls insecureTrustAll() {
        TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // not a server
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // trusts everything, by request
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {all}, null);
            return new ClientTls(context, false, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no usable TLS", e);
        }
    }

    /** The name the pool's certificate must carry (and the SNI sent), instead of the connected host. */
    public ClientTls withServerName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("TLS server name must be a host name, got '" + name + "'");
        }
        return new ClientTls(context, verifyName, name);
    }

    SSLEngine newEngine(InetSocketAddress address) {
        String host = serverName != null ? serverName : address.getHostString();
        SSLEngine engine = context.createSSLEngine(host, address.getPort());
        engine.setUseClientMode(true);
        if (verifyName) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        return engine;
    }

    @Override
    public String toString() {
        return "ClientTls[" + (verifyName ? "verifying" : "INSECURE trust-all") + (serverName == null ? "" : " as " + serverName) + "]";
    }
}
