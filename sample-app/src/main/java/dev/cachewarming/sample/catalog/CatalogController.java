package dev.cachewarming.sample.catalog;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /products/{id}}. */
@RestController
class CatalogController {

    private final CatalogService catalog;

    private final ProductRepository repository;

    CatalogController(CatalogService catalog, ProductRepository repository) {
        this.catalog = catalog;
        this.repository = repository;
    }

    @GetMapping("/products/sku/{sku}")
    ResponseEntity<ProductView> productBySku(@PathVariable String sku) {
        return ResponseEntity.of(this.repository.findBySku(sku).map(ProductView::of));
    }

    @GetMapping("/products/{id}")
    ResponseEntity<ProductView> product(@PathVariable long id) {
        ProductView product = this.catalog.findProduct(id);
        return (product != null) ? ResponseEntity.ok(product) : ResponseEntity.notFound().build();
    }
}
