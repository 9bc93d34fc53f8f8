package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading the pool's certificate and key: every format operators have, and a clear sentence for every mistake. */
class TlsConfigTest {

    static Path tls(String name) {
        try {
            return Path.of(TlsConfigTest.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource tls/" + name, e);
        }
    }

    @ParameterizedTest
    @CsvSource({"pool-cert.pem, pool-key.pem", "pool-cert.pem, pool-key-sec1.pem", "rsa-cert.pem, rsa-key-pkcs8.pem",
            "rsa-cert.pem, rsa-key-pkcs1.pem"})
    void pemKeysInEveryCommonEncodingLoad(String cert, String key) {
        TlsConfig config = TlsConfig.fromPem(tls(cert), tls(key));
        assertThat(config.certificate()).get().extracting(c -> c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.newServerEngine().getUseClientMode()).isFalse();
    }

    @Test
    void pkcs12Loads() {
        TlsConfig config = TlsConfig.fromPkcs12(tls("pool.p12"), "changeit".toCharArray());
        assertThat(config.certificate()).isPresent();
        assertThat(config.toString()).contains("CN=localhost");
    }

    @Test
    void mistakesFailWithASentenceNamingTheFile() {
        assertThatThrownBy(() -> TlsConfig.fromPem(tls("pool-cert.pem"), tls("other-key.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other-key.pem does not belong to the certificate");
        assertThatThrownBy(() -> TlsConfig.fromPem(tls("pool-cert.pem"), tls("rsa-key-pkcs1.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a usable EC private key");
        assertThatThrownBy(() -> TlsConfig.fromPem(tls("pool-cert.pem"), tls("pool-cert.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> TlsConfig.fromPem(tls("pool-key.pem"), tls("pool-key.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no certificate");
        assertThatThrownBy(() -> TlsConfig.fromPem(tls("pool-cert.pem"), tls("pool-key-encrypted.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is encrypted")
                .hasMessageContaining("openssl pkcs8 -in");
        assertThatThrownBy(() -> TlsConfig.fromPem(Path.of("/nonexistent/cert.pem"), tls("pool-key.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read TLS certificate file /nonexistent/cert.pem");
        assertThatThrownBy(() -> TlsConfig.fromPkcs12(tls("pool.p12"), "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong password");
        TlsConfig ok = TlsConfig.fromPem(tls("pool-cert.pem"), tls("pool-key.pem"));
        assertThatThrownBy(() -> ok.withProtocols("SSLv2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS protocol SSLv2 is not supported");
        assertThatThrownBy(ok::withProtocols).isInstanceOf(IllegalArgumentException.class);
        assertThat(ok.withProtocols("TLSv1.3").newServerEngine().getEnabledProtocols()).containsExactly("TLSv1.3");
    }

    @Test
    void clientTrustNeedsACertificate() {
        assertThatThrownBy(() -> ClientTls.trusting(tls("pool-key.pem"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no certificate");
        assertThatThrownBy(() -> ClientTls.systemTrust().withServerName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientTls.insecureTrustAll().toString()).contains("INSECURE");
    }
}
