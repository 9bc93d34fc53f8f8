package org.stratum4j.examples.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseUrlTest {

    @Test
    void libpqFormBecomesAJdbcUrlWithUserAndPassword() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://pool:p%40ss@db.example:6543/shares?sslmode=require", null, null);
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/shares?sslmode=require");
        assertThat(u.user()).isEqualTo("pool");
        assertThat(u.password()).isEqualTo("p@ss");
        assertThat(u.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
        assertThat(DatabaseUrl.parse("postgres://pool@10.0.0.5/shares", null, null).jdbcUrl())
                .isEqualTo("jdbc:postgresql://10.0.0.5:5432/shares");
    }

    @Test
    void thePasswordComesFromTheUrlThenTheFileThenPgpassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\nignored\n");
        assertThat(DatabaseUrl.parse("postgresql://pool:in-url@h/db", file, "env").password()).isEqualTo("in-url");
        assertThat(DatabaseUrl.parse("postgresql://pool@h/db", file, "env").password()).isEqualTo("from-file");
        assertThat(DatabaseUrl.parse("postgresql://pool@h/db", null, "env").password()).isEqualTo("env");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=pool", null, null).password()).isNull();
    }

    @Test
    void passwordsNeverShowInTheDescription() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=pool&password=hunter2&ssl=true", null, null).toString())
                .isEqualTo("jdbc:postgresql://h/db?user=pool&password=***&ssl=true");
        assertThat(DatabaseUrl.redact("postgresql://pool:hunter2@h/db")).isEqualTo("postgresql://pool:***@h/db");
    }

    @Test
    void badUrlsAreRefusedWithASentence(@TempDir Path dir) {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/db", null, null))
                .hasMessage("database URL mysql://h/db must start with postgresql:// (postgresql://user:password@host:port/dbname) or jdbc:postgresql:");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://pool:secret@h", null, null))
                .hasMessage("database URL postgresql://pool:***@h must look like postgresql://user:password@host:port/dbname");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://pool@h/db", dir.resolve("missing"), null))
                .hasMessageStartingWith("cannot read the database password file");
    }
}
