package dev.cachewarming.sample.catalog;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /products/{id}}. */
@RestController
class CatalogController {

    private final CatalogService catalog;

    CatalogController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/products/{id}")
    ResponseEntity<ProductView> product(@PathVariable long id) {
        ProductView product = this.catalog.findProduct(id);
        return (product != null) ? ResponseEntity.ok(product) : ResponseEntity.notFound().build();
    }
}
