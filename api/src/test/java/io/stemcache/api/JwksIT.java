package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.testing.Corpus;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * RS256 and ES256 tokens verified against a real JWK set ({@code stemcache.api.jwt.jwk-set-uri}) that a JDK HTTP
 * server publishes on loopback with one RSA and one EC key, beside the HS256 secret: the owner is the sub whatever
 * signed it; a key the set does not publish, {@code alg: none}, a wrong audience or issuer, or an expired token is
 * a 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksIT {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private RSAKey rsa;
    private ECKey ec;
    private RSAKey unpublished;
    private HttpServer jwks;
    private ApiCluster cluster;

    @BeforeAll
    void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        unpublished = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        byte[] set = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))
                .toString(true)
                .getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, set.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(set);
            }
        });
        jwks.start();
        cluster = ApiCluster.start(
                "jwks",
                Map.of(
                        "stemcache.api.jwt.jwk-set-uri",
                        "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json"));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    @Test
    void rs256AndEs256FromTheSet_andHs256_allSpeakForTheSub() throws Exception {
        UUID user = UUID.randomUUID();
        AudioAnalysis analysis = fresh();
        String url = url(analysis);
        String rs256 = signed(
                JWSAlgorithm.RS256,
                new RSASSASigner(rsa),
                rsa.getKeyID(),
                claims(user).build());
        String es256 = signed(
                JWSAlgorithm.ES256,
                new ECDSASigner(ec),
                ec.getKeyID(),
                claims(user).build());

        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + rs256)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(AnalysisJson.toBytes(analysis))));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(get(url, es256).statusCode()).as("ES256, same sub").isEqualTo(200);
        assertThat(get(url, cluster.userToken(user)).statusCode())
                .as("HS256, same sub")
                .isEqualTo(200);
        String otherUser = signed(
                JWSAlgorithm.RS256,
                new RSASSASigner(rsa),
                rsa.getKeyID(),
                claims(UUID.randomUUID()).build());
        assertThat(get(url, otherUser).statusCode()).as("RS256, another sub").isEqualTo(404);
        assertThat(jwksRequests.get()).as("the JWK set was fetched").isGreaterThanOrEqualTo(1);
    }

    @Test
    void keyNotInTheSet_algNone_forgedHs256_401() throws Exception {
        String url = url(fresh());
        UUID user = UUID.randomUUID();
        JWTClaimsSet claims = claims(user).build();
        assertThat(get(url, signed(JWSAlgorithm.RS256, new RSASSASigner(unpublished), unpublished.getKeyID(), claims))
                        .statusCode())
                .as("a kid the set lacks")
                .isEqualTo(401);
        assertThat(get(url, signed(JWSAlgorithm.RS256, new RSASSASigner(unpublished), rsa.getKeyID(), claims))
                        .statusCode())
                .as("the set's kid, another key")
                .isEqualTo(401);
        assertThat(get(url, new PlainJWT(claims).serialize()).statusCode())
                .as("alg none")
                .isEqualTo(401);
        String forged = ApiCluster.hs256("another-secret-that-is-32-bytes-or-more")
                .encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder()
                                .subject(user.toString())
                                .issuer(ApiCluster.ISSUER)
                                .audience(List.of(ApiCluster.AUDIENCE))
                                .expiresAt(Instant.now().plusSeconds(300))
                                .build()))
                .getTokenValue();
        assertThat(get(url, forged).statusCode())
                .as("HS256 with another secret")
                .isEqualTo(401);
        assertThat(get(url, cluster.userToken(user)).statusCode())
                .as("the same caller, rightly signed")
                .isEqualTo(404);
    }

    @Test
    void wrongAudienceIssuerOrExpired_401_evenWhenSignedByTheSet() throws Exception {
        String url = url(fresh());
        UUID user = UUID.randomUUID();
        RSASSASigner rsaSigner = new RSASSASigner(rsa);
        ECDSASigner ecSigner = new ECDSASigner(ec);
        assertThat(get(
                                url,
                                signed(
                                        JWSAlgorithm.RS256,
                                        rsaSigner,
                                        rsa.getKeyID(),
                                        claims(user).audience("anon").build()))
                        .statusCode())
                .as("wrong aud")
                .isEqualTo(401);
        assertThat(get(
                                url,
                                signed(
                                        JWSAlgorithm.ES256,
                                        ecSigner,
                                        ec.getKeyID(),
                                        claims(user)
                                                .issuer("https://evil.example")
                                                .build()))
                        .statusCode())
                .as("wrong iss")
                .isEqualTo(401);
        assertThat(get(
                                url,
                                signed(
                                        JWSAlgorithm.ES256,
                                        ecSigner,
                                        ec.getKeyID(),
                                        claims(user)
                                                .expirationTime(
                                                        Date.from(Instant.now().minusSeconds(600)))
                                                .build()))
                        .statusCode())
                .as("expired")
                .isEqualTo(401);
        assertThat(get(
                                url,
                                signed(
                                        JWSAlgorithm.RS256,
                                        rsaSigner,
                                        rsa.getKeyID(),
                                        claims(user).build()))
                        .statusCode())
                .as("the same token, right claims")
                .isEqualTo(404);
    }

    private static JWTClaimsSet.Builder claims(UUID user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(user.toString())
                .issuer(ApiCluster.ISSUER)
                .audience(ApiCluster.AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String signed(JWSAlgorithm algorithm, JWSSigner signer, String kid, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static AudioAnalysis fresh() {
        AudioAnalysis small = Corpus.small(20);
        return new AudioAnalysis(
                UUID.randomUUID(),
                small.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                small.waveformData(),
                small.metadata());
    }

    private String url(AudioAnalysis analysis) {
        return cluster.base() + "/api/v1/analyses/" + analysis.fileMetadataId() + "/"
                + analysis.stemType().code();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
