package piranha.gui.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordFileTest {
    @TempDir
    Path dir;

    @Test
    void setWritesASaltedPbkdf2HashInA0600File() throws IOException {
        PasswordFile f = new PasswordFile(dir.resolve("conf/piranha.passwd"));
        f.set("s3cret".toCharArray());
        String text = Files.readString(f.path());
        assertThat(text).startsWith("piranha:$pbkdf2-sha256$600000$").doesNotContain("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path()))).isEqualTo("rw-------");
        assertThat(f.check("s3cret".toCharArray())).isEqualTo(PasswordFile.Check.GOOD);
        assertThat(f.check("s3cret ".toCharArray())).isEqualTo(PasswordFile.Check.BAD);
        String first = f.storedHash();
        f.set("s3cret".toCharArray());
        assertThat(f.storedHash()).as("a fresh salt each time").isNotEqualTo(first);
    }

    /** Entries of Piranha's htpasswd file (made with htpasswd / openssl passwd), password "secret". */
    @ParameterizedTest
    @ValueSource(strings = {"$apr1$abcdefgh$h9FWgUz3n9YxylKLlR5SQ/", "$1$abcdefgh$cHJi5PXp/ki/ktXzqlk6I1",
            "$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.",
            "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="})
    void piranhaHtpasswdEntriesAreAcceptedForMigration(String entry) throws IOException {
        Path p = dir.resolve("piranha.passwd");
        Files.writeString(p, "piranha:" + entry + "\n");
        PasswordFile f = new PasswordFile(p);
        assertThat(f.check("secret".toCharArray())).isEqualTo(PasswordFile.Check.GOOD_NEEDS_REHASH);
        assertThat(f.check("Secret".toCharArray())).isEqualTo(PasswordFile.Check.BAD);
    }

    @Test
    void missingFileOrEntrySaysHowToSetOne() throws IOException {
        PasswordFile f = new PasswordFile(dir.resolve("none"));
        assertThatThrownBy(f::storedHash).hasMessageContaining("piranha-passwd --file");
        Files.writeString(dir.resolve("other"), "admin:$apr1$x$y\n");
        assertThatThrownBy(new PasswordFile(dir.resolve("other"))::storedHash).hasMessageContaining("no password for user piranha");
    }

    @Test
    void garbageHashesNeverMatch() throws IOException {
        for (String h : new String[] {"$pbkdf2-sha256$x$y$z", "$pbkdf2-sha256$1$", "plain", "$2y$10$abc"}) {
            Files.writeString(dir.resolve("g"), "piranha:" + h + "\n");
            assertThat(new PasswordFile(dir.resolve("g")).check("plain".toCharArray())).as(h).isEqualTo(PasswordFile.Check.BAD);
        }
    }
}
