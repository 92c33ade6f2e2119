package io.restorepoint.demo;

import io.restorepoint.devinfra.DatabaseServer;

/**
 * Creates the demo database on any server:
 * {@code java -cp ... io.restorepoint.demo.ScrapDemoCli --host 127.0.0.1 --port 3306 --user app --password app --database scrap --rows 1000000}.
 * The database is dropped and created anew.
 */
public final class ScrapDemoCli {

    private ScrapDemoCli() {
    }

    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = 3306;
        String user = "root";
        String password = "";
        String database = "scrap_demo";
        long rows = ScrapDemo.SMALL;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--user" -> user = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--database" -> database = args[i + 1];
                case "--rows" -> rows = Long.parseLong(args[i + 1].replace("_", ""));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        DatabaseServer server = DatabaseServer.external(host, port, user, password);
        long started = System.nanoTime();
        server.dropDatabase(database);
        server.createDatabase(database);
        ScrapDemo.install(server.connectionFactory(database), rows);
        System.out.printf("created %s with %,d rows each in pesaje and auditoria in %.1f s%n", database, rows,
                (System.nanoTime() - started) / 1e9);
    }
}
