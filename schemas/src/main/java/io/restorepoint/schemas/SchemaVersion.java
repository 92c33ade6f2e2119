package io.restorepoint.schemas;

/**
 * The schema version every message carries in its {@code schema_version} field.
 *
 * <p>Compatible changes (a new optional field, a new enum constant announced in advance) keep the
 * version; an incompatible change publishes a new topic {@code *.v2} and a new constant here.
 */
public final class SchemaVersion {

    /** Version 1 of every RestorePoint message. */
    public static final int V1 = 1;

    private SchemaVersion() {
    }
}
