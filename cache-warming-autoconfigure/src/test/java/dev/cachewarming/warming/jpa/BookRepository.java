package dev.cachewarming.warming.jpa;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

import dev.cachewarming.annotation.Warmable;

/** A repository whose annotated {@code findById} declares no batch method. */
public interface BookRepository extends JpaRepository<Book, Long> {

    @Override
    @Warmable(cacheName = "books", keys = "T(java.util.stream.LongStream).rangeClosed(1, 20).boxed().toList()",
            batchSize = 8, remember = false)
    Optional<Book> findById(Long id);
}
