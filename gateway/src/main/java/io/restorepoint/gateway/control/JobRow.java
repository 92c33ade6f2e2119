package io.restorepoint.gateway.control;

/** The gateway's record of a job's latest state. */
public record JobRow(String token, String project, String job, String status, Integer version, long total,
        long remaining, String infoJson, String failureJson, String resultJson, String requestedBy, double createdOn,
        double updatedOn, String workerId) {

    public boolean isTerminal() {
        return "done".equals(status) || "rejected".equals(status);
    }
}
