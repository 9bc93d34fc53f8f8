package org.stratum4j.core.engine;

import org.stratum4j.core.bitcoin.Difficulty;

/**
 * Options miners put in the {@code mining.authorize} password, as ckpool and most pools read them:
 * {@code d=N} asks for difficulty N (also a floor). Other text ({@code x}, {@code 123}) is ignored.
 */
final class PasswordOptions {

    private PasswordOptions() {
    }

    /** The {@code d=N} difficulty, or null when absent or not a number. */
    static Difficulty difficulty(String password) {
        if (password == null) {
            return null;
        }
        for (String token : password.split("[,;\\s]+")) {
            if (token.startsWith("d=") && token.length() > 2) {
                try {
                    Difficulty d = Difficulty.of(token.substring(2));
                    return d.toDouble() > 0 ? d : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
