package io.restorepoint.sync.feed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeedIngestorTest {

    @Test
    void aNewStoreStartsAtCursorZero() {
        assertThat(FeedIngestor.origin(null, "topicA", 0)).isEqualTo(new FeedStore.StreamOrigin("topicA", 0));
    }

    @Test
    void theSameTopicKeepsItsBase() {
        var recorded = new FeedStore.StreamOrigin("topicA", 40);
        assertThat(FeedIngestor.origin(recorded, "topicA", 90)).isSameAs(recorded);
    }

    @Test
    void aRecreatedTopicContinuesAfterTheLastStoredCursor() {
        var recorded = new FeedStore.StreamOrigin("topicA", 0);
        assertThat(FeedIngestor.origin(recorded, "topicB", 57)).isEqualTo(new FeedStore.StreamOrigin("topicB", 57));
    }

    @Test
    void aStoreFilledBeforeOriginsWereRecordedContinuesAfterItsLastCursor() {
        assertThat(FeedIngestor.origin(null, "topicB", 7)).isEqualTo(new FeedStore.StreamOrigin("topicB", 7));
    }
}
