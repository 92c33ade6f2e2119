-- Which topic a stream is read from, and the cursor its offsets start after. If the topic is ever
-- recreated (a new cluster, a deleted topic), its offsets restart at 0; the new topic's cursors then
-- continue after the last cursor of the old one, so clients never see a cursor go backwards.
CREATE TABLE sync_streams (
  stream      VARCHAR(16) NOT NULL PRIMARY KEY,
  topic_id    VARCHAR(32) NOT NULL,
  cursor_base BIGINT      NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
