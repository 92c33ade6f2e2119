package io.restorepoint.devinfra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker and the database the stack relies on are real and survive a stop/start. */
class InfraSmokeIT {

    @TempDir
    Path dir;

    @Test
    void kraftBrokerKeepsItsDataAcrossARestart() throws Exception {
        try (KraftBroker broker = KraftBroker.start(dir.resolve("kafka"), 0)) {
            Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(common)) {
                admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("smoke", "k", "before restart")).get();
            }
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            try (var producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("smoke", "k", "after restart")).get();
            }
            try (var consumer = new KafkaConsumer<>(common, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("smoke", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.currentTimeMillis() + 15_000;
                while (values.size() < 2 && System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    records.forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("before restart", "after restart");
            }
        }
    }

    @Test
    void mariaDbServesR2dbc() {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dir.resolve("db"), 0)) {
            db.createDatabase("smoke");
            var factory = db.connectionFactory("smoke");
            Sql.execute(factory, "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(10))",
                    "INSERT INTO t VALUES (1, 'ñandú 🐧')");
            assertThat(Sql.scalar(factory, "SELECT s FROM t")).isEqualTo("ñandú 🐧");
            assertThat((String) Sql.scalar(factory, "SELECT VERSION()")).contains("MariaDB");
        }
    }
}
