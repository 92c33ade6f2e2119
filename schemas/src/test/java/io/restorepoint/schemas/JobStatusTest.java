package io.restorepoint.schemas;

import io.restorepoint.schemas.job.JobStatus;
import org.junit.jupiter.api.Test;

import static io.restorepoint.schemas.job.JobStatus.DONE;
import static io.restorepoint.schemas.job.JobStatus.PROCESSING;
import static io.restorepoint.schemas.job.JobStatus.QUEUED;
import static io.restorepoint.schemas.job.JobStatus.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStatusTest {

    @Test
    void transitionsFollowTheDocumentedLifecycle() {
        assertThat(QUEUED.next()).containsExactlyInAnyOrder(PROCESSING, REJECTED);
        assertThat(PROCESSING.next()).containsExactlyInAnyOrder(PROCESSING, DONE, REJECTED);
        assertThat(DONE.next()).isEmpty();
        assertThat(REJECTED.next()).isEmpty();
        assertThat(DONE.isTerminal()).isTrue();
        assertThat(PROCESSING.isTerminal()).isFalse();
    }

    @Test
    void wireNamesAreTheUnicatOnes() {
        assertThat(JobStatus.values()).extracting(JobStatus::wire)
                .containsExactly("queued", "processing", "done", "rejected");
        assertThat(JobStatus.fromWire("done")).isEqualTo(DONE);
        assertThatThrownBy(() -> JobStatus.fromWire("failed")).isInstanceOf(IllegalArgumentException.class);
    }
}
