package io.restorepoint.gateway.control;

/**
 * A backup version row.
 *
 * @param status {@code pending} while its job runs, {@code valid} once its artifact is committed,
 *               {@code failed} when the job was rejected, {@code deleted}
 * @param skippedJson the objects the backup left out (JSON array of {@code {kind, name, reason}}); null: none
 */
public record BackupVersion(String project, int version, String name, String createdBy, double createdOn,
        String status, String jobToken, Long rows, Long bytes, String verifyStatus, Double verifiedOn, String skippedJson) {

    public BackupVersion(String project, int version, String name, String createdBy, double createdOn, String status,
            String jobToken) {
        this(project, version, name, createdBy, createdOn, status, jobToken, null, null, null, null, null);
    }

    public boolean isValid() {
        return VALID.equals(status);
    }

    public static final String PENDING = "pending";
    public static final String VALID = "valid";
    public static final String FAILED = "failed";

    /** Origins of a version ({@code backup_versions.origin}): what retention may expire is {@link #SCHEDULED} only. */
    public static final String MANUAL = "manual";
    public static final String SAFETY = "safety";
    public static final String SCHEDULED = "scheduled";
}
