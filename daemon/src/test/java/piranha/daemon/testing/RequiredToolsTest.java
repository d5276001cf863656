package piranha.daemon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolsTest {
    final String before = System.getProperty(RequiredTools.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(RequiredTools.PROPERTY);
        } else {
            System.setProperty(RequiredTools.PROPERTY, before);
        }
    }

    @Test
    void aProgramThatIsThereIsFound() {
        assertThat(RequiredTools.program("coreutils", "/nonexistent/sleep", "/bin/sleep", "/usr/bin/sleep")).isNotNull();
    }

    @Test
    void aMissingProgramSkipsOutsideCi() {
        System.setProperty(RequiredTools.PROPERTY, "false");
        assertThatThrownBy(() -> RequiredTools.program("chromium", "/nonexistent/chromium"))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("apt-get install chromium");
    }

    @Test
    void aMissingProgramFailsInCiNamingThePackage() {
        System.setProperty(RequiredTools.PROPERTY, "true");
        assertThatThrownBy(() -> RequiredTools.program("chromium-driver", "/nonexistent/chromedriver"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("/nonexistent/chromedriver is missing: apt-get install chromium-driver");
    }
}
