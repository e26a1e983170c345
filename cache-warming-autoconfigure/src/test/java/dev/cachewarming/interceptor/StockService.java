package dev.cachewarming.interceptor;

import dev.cachewarming.annotation.StampedeProtected;

/** Annotated on the interface; the bean implements it. */
public interface StockService {

    @StampedeProtected(cacheName = "stock")
    int stockOf(String sku);
}
