package io.restorepoint.engine.dump;

import io.restorepoint.engine.artifact.ArtifactId;

/**
 * What to dump and where it goes.
 *
 * @param artifact  the artifact to write
 * @param jobToken  the job, recorded in the manifest
 * @param database  the source database
 */
public record DumpRequest(ArtifactId artifact, String jobToken, String database) {
}
