package io.restorepoint.web.netty;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class KeepAliveReadWorkaroundTest {

    String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(KeepAliveReadWorkaround.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(KeepAliveReadWorkaround.PROPERTY);
        } else {
            System.setProperty(KeepAliveReadWorkaround.PROPERTY, before);
        }
    }

    @Test
    void setsTheFlagWhenNobodyDid() {
        System.clearProperty(KeepAliveReadWorkaround.PROPERTY);
        assertThat(KeepAliveReadWorkaround.apply()).isEqualTo("true");
        assertThat(System.getProperty(KeepAliveReadWorkaround.PROPERTY)).isEqualTo("true");
    }

    @Test
    void leavesAnExplicitValueAlone() {
        System.setProperty(KeepAliveReadWorkaround.PROPERTY, "false");
        assertThat(KeepAliveReadWorkaround.apply()).isEqualTo("false");
    }

    @Test
    void runsBeforeEverySpringApplicationOfTheServices() {
        // Boot's own post-processors want constructor arguments this plain loader does not give; skipped here
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(EnvironmentPostProcessor.class, null,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { })))
                .anyMatch(KeepAliveReadWorkaround.class::isInstance);
    }
}
