package dev.cachewarming.macrobench;

import java.io.Writer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.PGConnection;

/**
 * The PostgreSQL database of the macro benchmarks: a {@code bench_product} table of {@value #PRODUCTS} rows,
 * created on first use. Loopback only: the URL comes from {@code -Dbench.jdbc-url} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}).
 */
public final class BenchDatabase {

    /** Rows in the table. */
    public static final int PRODUCTS = 100_000;

    /** The columns every reader selects, in {@link #product(ResultSet)} order. */
    public static final String COLUMNS = "id, sku, name, description, price_cents, stock";

    private final String url = System.getProperty("bench.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test");

    private final String user = System.getProperty("bench.jdbc-user", "postgres");

    private final String password = System.getProperty("bench.jdbc-password", "");

    /** @return the JDBC URL */
    public String url() {
        return this.url;
    }

    /** @return the user */
    public String user() {
        return this.user;
    }

    /** @return the password */
    public String password() {
        return this.password;
    }

    /** @return Spring Boot properties that point {@code spring.datasource} at this database */
    public String[] springProperties() {
        return new String[] { "spring.datasource.url=" + this.url, "spring.datasource.username=" + this.user,
                "spring.datasource.password=" + this.password, "spring.datasource.hikari.maximum-pool-size=16" };
    }

    /** @return a new connection */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(this.url, this.user, this.password);
    }

    /** Creates and fills {@code bench_product} unless it already holds exactly {@value #PRODUCTS} rows. */
    public void seed() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS bench_product (id bigint PRIMARY KEY, sku varchar(32) "
                    + "NOT NULL, name varchar(100) NOT NULL, description varchar(400) NOT NULL, price_cents int "
                    + "NOT NULL, stock int NOT NULL)");
            try (ResultSet count = statement.executeQuery("SELECT count(*) FROM bench_product")) {
                count.next();
                if (count.getLong(1) == PRODUCTS) {
                    return;
                }
            }
            statement.execute("TRUNCATE bench_product");
            statement.execute("INSERT INTO bench_product SELECT g, 'SKU-' || lpad(g::text, 8, '0'), 'Product ' "
                    + "|| g, repeat('A sturdy, well-made thing for every day. ', 4) || g, 100 + g % 9900, g % 500 "
                    + "FROM generate_series(1, " + PRODUCTS + ") g");
            statement.execute("ANALYZE bench_product");
        }
    }

    /**
     * Reads the whole table with {@code COPY ... TO STDOUT}, PostgreSQL's bulk export: the fastest way rows
     * leave the database, the database side of the physical limit of warming.
     * @return the rows read
     */
    public long copyAll() throws Exception {
        try (Connection connection = connect()) {
            CountingWriter writer = new CountingWriter();
            long rows = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("COPY (SELECT " + COLUMNS + " FROM bench_product) TO STDOUT", writer);
            return rows;
        }
    }

    /**
     * @param rs a result set positioned on a row selected with {@link #COLUMNS}
     * @return the product
     */
    public static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getInt(6));
    }

    private static final class CountingWriter extends Writer {

        long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            this.chars += length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
