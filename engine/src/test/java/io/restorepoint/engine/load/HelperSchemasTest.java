package io.restorepoint.engine.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HelperSchemasTest {

    @Test
    void namesAreTheDatabaseAKindAndTheJob() {
        assertThat(HelperSchemas.of("scrap_demo", HelperSchemas.LOAD, "0A1B2C3D-4E5F-6789-abcd-ef0123456789"))
                .isEqualTo("scrap_demo__rp_load_0a1b2c3d4e5f");
        String longName = "d".repeat(60);
        assertThat(HelperSchemas.of(longName, HelperSchemas.VERIFY, "job")).hasSize(64).endsWith("__rp_verify_job");
    }

    @Test
    void theLikePatternMatchesOnlyThisDatabasesHelpers() {
        assertThat(HelperSchemas.likePattern("scrap_demo")).isEqualTo("scrap\\_demo\\_\\_rp\\_%");
        assertThat(HelperSchemas.likePattern("it's%")).isEqualTo("it''s\\%\\_\\_rp\\_%");
        assertThat(HelperSchemas.likePattern("a\\b")).isEqualTo("a\\\\\\\\b\\_\\_rp\\_%");
    }
}
