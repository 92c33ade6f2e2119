package io.restorepoint.engine.load;

import io.restorepoint.engine.schema.SchemaObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a verify calls a difference between a backup's object and the one created from it. */
class CopyCheckTest {

    private static final SchemaObject TRIGGER = new SchemaObject(SchemaObject.TRIGGER, "t", "orders",
            "CREATE DEFINER=`app`@`%` TRIGGER t BEFORE INSERT ON orders FOR EACH ROW SET NEW.n = 1",
            "STRICT_TRANS_TABLES", "utf8mb4", "utf8mb4_general_ci", null, null);

    private static SchemaObject with(String statement, String sqlMode, String charset, String table, Long next) {
        return new SchemaObject(TRIGGER.kind(), TRIGGER.name(), table, statement, sqlMode, charset, TRIGGER.collationConnection(),
                null, next);
    }

    @Test
    void theSameObjectUnderAnotherDefinerIsTheSame() {
        assertThat(CopyCheck.difference(TRIGGER, with("CREATE DEFINER=`worker`@`localhost` TRIGGER t BEFORE INSERT ON orders "
                + "FOR EACH ROW SET NEW.n = 1", "STRICT_TRANS_TABLES", "utf8mb4", "orders", null))).isNull();
    }

    @Test
    void everyOtherChangeIsNamed() {
        assertThat(CopyCheck.difference(TRIGGER, with("CREATE DEFINER=`app`@`%` TRIGGER t BEFORE INSERT ON orders FOR EACH ROW "
                + "SET NEW.n = 2", "STRICT_TRANS_TABLES", "utf8mb4", "orders", null))).startsWith("its definition reads back as «");
        assertThat(CopyCheck.difference(TRIGGER, with(TRIGGER.statement(), "", "utf8mb4", "orders", null)))
                .isEqualTo("sql_mode , not STRICT_TRANS_TABLES");
        assertThat(CopyCheck.difference(TRIGGER, with(TRIGGER.statement(), "STRICT_TRANS_TABLES", "latin1", "orders", null)))
                .startsWith("character set latin1/");
        assertThat(CopyCheck.difference(TRIGGER, with(TRIGGER.statement(), "STRICT_TRANS_TABLES", "utf8mb4", "items", null)))
                .isEqualTo("on table items, not orders");
        assertThat(CopyCheck.difference(TRIGGER, with(TRIGGER.statement(), "STRICT_TRANS_TABLES", "utf8mb4", "orders", 7L)))
                .isEqualTo("next value 7, not null");
    }
}
