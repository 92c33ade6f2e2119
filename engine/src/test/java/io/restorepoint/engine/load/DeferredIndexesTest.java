package io.restorepoint.engine.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeferredIndexesTest {

    /** Columns and primary key: what stays in the CREATE TABLE. */
    private static final String COLUMNS = String.join("\n",
            "CREATE TABLE `pesaje` (",
            "  `id` bigint(20) NOT NULL AUTO_INCREMENT,",
            "  `NP` varchar(40) NOT NULL COMMENT 'a KEY `x` (y), in a comment',",
            "  `falla_id` int(11) DEFAULT NULL,",
            "  `nota` text DEFAULT NULL,",
            "  `lugar` point DEFAULT NULL,",
            "  PRIMARY KEY (`id`),");
    private static final String TAIL = String.join("\n",
            "  CONSTRAINT `positive` CHECK (`id` > 0)",
            ") ENGINE=InnoDB AUTO_INCREMENT=1000001 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
    private static final String PESAJE = String.join("\n", COLUMNS,
            "  UNIQUE KEY `uk odd``name` (`NP`,`id`),",
            "  KEY `idx_np` (`NP`(10)),",
            "  KEY `fk_pesaje_falla` (`falla_id`),",
            "  SPATIAL KEY `sp` (`lugar`),",
            "  FULLTEXT KEY `ft_nota` (`nota`),",
            "  CONSTRAINT `fk_pesaje_falla` FOREIGN KEY (`falla_id`) REFERENCES `fallas` (`id`) ON DELETE SET NULL,",
            TAIL);

    @Test
    void secondaryIndexesAndForeignKeysAreSplitOffWhileColumnsPrimaryKeyAndChecksStay() {
        DeferredIndexes split = DeferredIndexes.of(PESAJE);

        assertThat(split.deferred()).isTrue();
        assertThat(split.create()).isEqualTo(COLUMNS + "\n" + TAIL);
        assertThat(split.indexStatements("pesaje")).containsExactly(
                "ALTER TABLE `pesaje` ADD UNIQUE KEY `uk odd``name` (`NP`,`id`), ADD KEY `idx_np` (`NP`(10)), "
                        + "ADD KEY `fk_pesaje_falla` (`falla_id`), ADD SPATIAL KEY `sp` (`lugar`)",
                "ALTER TABLE `pesaje` ADD FULLTEXT KEY `ft_nota` (`nota`)");
        assertThat(split.foreignKeyStatement("pesaje")).isEqualTo("ALTER TABLE `pesaje` ADD CONSTRAINT `fk_pesaje_falla` "
                + "FOREIGN KEY (`falla_id`) REFERENCES `fallas` (`id`) ON DELETE SET NULL");
    }

    @Test
    void tablesThatCannotBeSplitSafelyAreCreatedAsDumped() {
        String partitioned = PESAJE.replace("COLLATE=utf8mb4_general_ci",
                "COLLATE=utf8mb4_general_ci\n PARTITION BY HASH (`id`)\nPARTITIONS 4");
        String memory = PESAJE.replace("ENGINE=InnoDB", "ENGINE=MEMORY");
        String versioned = PESAJE.replace("COLLATE=utf8mb4_general_ci", "COLLATE=utf8mb4_general_ci WITH SYSTEM VERSIONING");
        String onlyPrimary = "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB";
        String oneLine = "CREATE TABLE t (id INT PRIMARY KEY, KEY k (id)) ENGINE=InnoDB";
        for (String ddl : new String[] {partitioned, memory, versioned, onlyPrimary, oneLine}) {
            DeferredIndexes split = DeferredIndexes.of(ddl);
            assertThat(split.deferred()).as(ddl).isFalse();
            assertThat(split.create()).isEqualTo(ddl);
            assertThat(split.indexStatements("t")).isEmpty();
            assertThat(split.foreignKeyStatement("t")).isNull();
        }
    }

    @Test
    void definitionsCompareRegardlessOfIndexOrderAndAutoIncrement() {
        // a server lists a foreign key added later after the check constraint, and counts AUTO_INCREMENT on
        String fk = "  CONSTRAINT `fk_pesaje_falla` FOREIGN KEY (`falla_id`) REFERENCES `fallas` (`id`) ON DELETE SET NULL";
        String check = "  CONSTRAINT `positive` CHECK (`id` > 0)";
        String rebuilt = PESAJE.replace(fk + ",\n" + check, check + ",\n" + fk).replace("AUTO_INCREMENT=1000001", "AUTO_INCREMENT=1000017");
        assertThat(rebuilt).isNotEqualTo(PESAJE);
        assertThat(DeferredIndexes.sameDefinition(rebuilt, PESAJE)).isTrue();
        assertThat(DeferredIndexes.sameDefinition(rebuilt.replace("ON DELETE SET NULL", ""), PESAJE)).isFalse();
        assertThat(DeferredIndexes.sameDefinition(rebuilt.replace("KEY `idx_np` (`NP`(10))", "KEY `idx_np` (`NP`)"), PESAJE))
                .isFalse();
    }
}
