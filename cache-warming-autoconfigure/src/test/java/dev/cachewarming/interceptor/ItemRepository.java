package dev.cachewarming.interceptor;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;

public interface ItemRepository extends JpaRepository<Item, Long> {

    @Override
    @StampedeProtected(cacheName = "items")
    Optional<Item> findById(Long id);

    @StampedeProtected
    Optional<Item> findBySku(String sku);

    @RefreshAhead(cacheName = "itemNames")
    @Query("select i.name from Item i where i.sku like :prefix%")
    List<String> namesWithSkuPrefix(String prefix);
}
