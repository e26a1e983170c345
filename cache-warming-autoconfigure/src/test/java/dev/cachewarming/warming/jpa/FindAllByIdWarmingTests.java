package dev.cachewarming.warming.jpa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cachewarming.cache.CacheEntry;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;
import dev.cachewarming.warming.CacheWarming;
import dev.cachewarming.warming.CacheWarmupProgress;
import dev.cachewarming.warming.WarmupLoadMode;

import jakarta.persistence.EntityManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @Warmable findById} of a Spring Data JPA repository (H2) with no batch method is warmed through the
 * repository's {@code findAllById}, in batches, in a real Boot application with a real Redis.
 */
@SpringBootTest(properties = { "spring.jpa.properties.hibernate.generate_statistics=true",
        "spring.jpa.hibernate.ddl-auto=create-drop", "spring.data.redis.repositories.enabled=false" })
@ExtendWith(RedisServerExtension.class)
class FindAllByIdWarmingTests {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisServer redis = RedisServerExtension.sharedServer();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BookApplication {

        /** Books 1 to 20 but 13, saved before warming starts (ApplicationRunners run before readiness). */
        @Bean
        ApplicationRunner books(BookRepository books, EntityManagerFactory entities) {
            return (arguments) -> {
                List<Book> all = new ArrayList<>();
                for (long id = 1; id <= 20; id++) {
                    if (id != 13) {
                        all.add(new Book(id, "Book " + id));
                    }
                }
                books.saveAll(all);
                entities.unwrap(SessionFactory.class).getStatistics().clear();
            };
        }
    }

    @Autowired
    private CacheWarming warming;

    @Autowired
    private TieredCacheRegistry caches;

    @Autowired
    private BookRepository books;

    @Autowired
    private EntityManagerFactory entities;

    @Test
    void findByIdIsWarmedThroughFindAllByIdInBatches() {
        await().atMost(Duration.ofSeconds(30)).until(() -> this.warming.state().isFinished());
        Statistics statistics = this.entities.unwrap(SessionFactory.class).getStatistics();
        CacheWarmupProgress progress = this.warming.progress().get("books");

        assertThat(progress.loadMode()).isEqualTo(WarmupLoadMode.FIND_ALL_BY_ID);
        assertThat(progress.loaded()).isEqualTo(20);
        assertThat(statistics.getPrepareStatementCount()).as("20 keys in batches of 8: 3 queries").isEqualTo(3);
        CacheEntry missing = this.caches.find("books").peekLocal(13L);
        assertThat(missing).isNotNull();
        assertThat(missing.value()).as("no book 13: an absent result").isEqualTo(Optional.empty());

        assertThat(this.books.findById(7L)).map(Book::getTitle).contains("Book 7");
        assertThat(statistics.getPrepareStatementCount()).as("warm: no query").isEqualTo(3);
    }
}
