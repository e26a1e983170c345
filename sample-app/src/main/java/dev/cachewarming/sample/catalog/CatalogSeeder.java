package dev.cachewarming.sample.catalog;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Fills an empty catalog with {@code sample.catalog.size} generated products at startup. */
@Component
class CatalogSeeder implements ApplicationRunner {

    private static final Log logger = LogFactory.getLog(CatalogSeeder.class);

    private static final String[] CATEGORIES = { "books", "games", "garden", "kitchen", "music", "outdoor", "toys",
            "tools" };

    private final JdbcTemplate jdbc;

    private final int size;

    CatalogSeeder(JdbcTemplate jdbc, @Value("${sample.catalog.size:100000}") int size) {
        this.jdbc = jdbc;
        this.size = size;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer existing = this.jdbc.queryForObject("select count(*) from product", Integer.class);
        if (existing != null && existing > 0) {
            return;
        }
        long start = System.nanoTime();
        List<Object[]> batch = new ArrayList<>(5000);
        for (long id = 1; id <= this.size; id++) {
            batch.add(new Object[] { id, "SKU-" + id, "Product " + id, CATEGORIES[(int) (id % CATEGORIES.length)],
                    100 + (id * 37) % 10_000, (int) (id * 13 % 500) });
            if (batch.size() == 5000 || id == this.size) {
                this.jdbc.batchUpdate("insert into product (id, sku, name, category, price_cents, stock) values (?,?,?,?,?,?)",
                        batch);
                batch.clear();
            }
        }
        logger.info("Seeded " + this.size + " products in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
}
