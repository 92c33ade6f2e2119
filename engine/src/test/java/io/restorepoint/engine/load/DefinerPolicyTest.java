package io.restorepoint.engine.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefinerPolicyTest {

    private static final String VIEW = "CREATE ALGORITHM=UNDEFINED DEFINER=`app`@`%` SQL SECURITY DEFINER VIEW `v` AS select 1 AS `DEFINER=x`";
    private static final String TRIGGER = "CREATE DEFINER=`o'brien`@`localhost` TRIGGER t BEFORE INSERT ON `a` FOR EACH ROW SET NEW.x = 'DEFINER=`y`@`z` '";
    private static final String ROLE = "CREATE DEFINER=`admins` PROCEDURE `p`() SELECT 1";
    private static final String EMPTY = "CREATE DEFINER=``@`` FUNCTION `f`() RETURNS int RETURN 1";
    private static final String NONE = "CREATE SEQUENCE `s` start with 1";

    @Test
    void keepLeavesEveryAccountAndReplacesOnlyADefinerThatNamesNone() {
        assertThat(DefinerPolicy.KEEP.apply(VIEW)).isEqualTo(VIEW);
        assertThat(DefinerPolicy.KEEP.apply(TRIGGER)).isEqualTo(TRIGGER);
        assertThat(DefinerPolicy.KEEP.apply(ROLE)).isEqualTo(ROLE);
        assertThat(DefinerPolicy.KEEP.apply(EMPTY)).isEqualTo("CREATE FUNCTION `f`() RETURNS int RETURN 1");
        assertThat(DefinerPolicy.KEEP.apply("CREATE DEFINER=`` PROCEDURE `p`() SELECT 1")).isEqualTo("CREATE PROCEDURE `p`() SELECT 1");
        assertThat(DefinerPolicy.KEEP.apply(NONE)).isEqualTo(NONE);
    }

    @Test
    void restoringAccountLeavesOutTheClauseAndNeverTouchesTheBody() {
        assertThat(DefinerPolicy.RESTORING_ACCOUNT.apply(VIEW))
                .isEqualTo("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1 AS `DEFINER=x`");
        assertThat(DefinerPolicy.RESTORING_ACCOUNT.apply(TRIGGER))
                .isEqualTo("CREATE TRIGGER t BEFORE INSERT ON `a` FOR EACH ROW SET NEW.x = 'DEFINER=`y`@`z` '");
        assertThat(DefinerPolicy.RESTORING_ACCOUNT.apply(ROLE)).isEqualTo("CREATE PROCEDURE `p`() SELECT 1");
        assertThat(DefinerPolicy.RESTORING_ACCOUNT.apply(NONE)).isEqualTo(NONE);
    }
}
