package io.restorepoint.testsupport;

import io.restorepoint.devinfra.DevTokens;

/** The JWT secret every test configures its services with, and a minter for it. */
public final class TestTokens {

    public static final String SECRET = "restorepoint-test-secret-0123456789-abcdefghij";
    public static final DevTokens TOKENS = new DevTokens(SECRET);

    private TestTokens() {
    }
}
