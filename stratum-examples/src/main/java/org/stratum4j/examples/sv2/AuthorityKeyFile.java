package org.stratum4j.examples.sv2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;

/**
 * The pool's Stratum V2 authority key on disk: read when the file exists, otherwise created with a
 * fresh key, readable by its owner only (mode 600), with a log line that says so and gives the
 * public key. The file is text:
 *
 * <pre>
 * # stratum4j Stratum V2 pool authority key, created 2026-12-04T21:45:00Z. …
 * # public key: 9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh
 * secret_key = 64 hex digits
 * </pre>
 */
public final class AuthorityKeyFile {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorityKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private AuthorityKeyFile() {
    }

    /**
     * The key in {@code file}, created first when the file does not exist.
     *
     * @throws IOException              when the file cannot be read or written
     * @throws IllegalArgumentException when the file exists but holds no valid key (the message
     *                                  says what is wrong; the file is never overwritten)
     */
    public static Secp256k1KeyPair loadOrCreate(Path file, Instant now, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Secp256k1KeyPair key = Secp256k1KeyPair.generate(random);
        String text = "# stratum4j Stratum V2 pool authority key, created " + now + ".\n"
                + "# Keep it secret and backed up: it signs this pool's certificates, and miners pin its public key\n"
                + "# (the end of stratum2+tcp://HOST:PORT/KEY). Losing it means telling every miner a new one.\n"
                + "# public key: " + key.publicKey().toBase58Check() + "\n"
                + "secret_key = " + Hex.encode(key.privateKey()) + "\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (parent != null && Files.getFileStore(parent).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return load(file); // another process made it first: use theirs
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        LOG.info("created the Stratum V2 authority key {} (mode 600; back it up): miners pin {}", file,
                key.publicKey().toBase58Check());
        return key;
    }

    /**
     * The key in {@code file}.
     *
     * @throws IllegalArgumentException when it holds no {@code secret_key = HEX} line with a valid key
     */
    public static Secp256k1KeyPair load(Path file) throws IOException {
        warnIfReadableByOthers(file);
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String l = line.strip();
            if (l.startsWith("secret_key")) {
                int eq = l.indexOf('=');
                String hex = eq < 0 ? "" : l.substring(eq + 1).strip();
                byte[] secret;
                try {
                    secret = Hex.decode(hex);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": secret_key is not hex");
                }
                try {
                    return Secp256k1KeyPair.fromPrivateKey(secret);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException(file + " has no 'secret_key = HEX' line; is it a stratum4j authority key file?");
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("the Stratum V2 authority key {} is readable by others ({}); chmod 600 it",
                        file, PosixFilePermissions.toString(p));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions here: nothing to check
        }
    }
}
