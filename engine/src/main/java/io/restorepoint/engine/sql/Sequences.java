package io.restorepoint.engine.sql;

/** Generated integer sequences in plain SQL, portable across MariaDB and MySQL (no sequence engine). */
public final class Sequences {

    private static final String TEN = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
            + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";

    private Sequences() {
    }

    /** A derived table of the integers 0 … 10^digits - 1 in a column {@code n}. */
    public static String upTo(int digits) {
        StringBuilder select = new StringBuilder("(SELECT ");
        StringBuilder from = new StringBuilder(" FROM ");
        long factor = 1;
        for (int i = 0; i < digits; i++) {
            select.append(i == 0 ? "" : " + ").append(factor).append(" * d").append(i).append(".d");
            from.append(i == 0 ? "" : " CROSS JOIN ").append(TEN).append(" d").append(i);
            factor *= 10;
        }
        return select.append(" AS n").append(from).append(')').toString();
    }
}
