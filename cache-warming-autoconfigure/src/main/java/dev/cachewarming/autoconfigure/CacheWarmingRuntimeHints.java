package dev.cachewarming.autoconfigure;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;

/**
 * The hints every application of the starter needs, whatever its beans: the annotations, and the starter's own
 * types that Jackson reads and writes. Registered in {@code META-INF/spring/aot.factories}.
 *
 * <p>What depends on the application's beans (annotated methods, their value and key types, batch methods and
 * {@code keys} expressions) is hinted by {@code dev.cachewarming.interceptor.CachedMethodsAotProcessor}.
 */
final class CacheWarmingRuntimeHints implements RuntimeHintsRegistrar {

    /**
     * The starter's JSON types that are not public, by name: the Redis value envelope, the invalidation message,
     * the hot-key file rows. Names, not class literals, because each stays package-private where it is used.
     */
    static final List<String> JSON_TYPES = List.of("dev.cachewarming.cache.EntryCodec$Envelope",
            "dev.cachewarming.redis.InvalidationMessage", "dev.cachewarming.warming.FileHotKeyStore$StoredKey",
            "dev.cachewarming.memcached.MemcachedHotKeyStore$StoredKey");

    /** The endpoint's report records (only when Boot's actuator is present, as the endpoint is). */
    static final List<String> ENDPOINT_TYPES = List.of("dev.cachewarming.actuate.WarmingEndpoint$WarmingReport",
            "dev.cachewarming.actuate.WarmingEndpoint$RewarmResponse");

    private static final String ENDPOINT_ANNOTATION = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        // MergedAnnotations reads attribute values by invoking the annotation's attribute methods.
        for (Class<?> annotation : List.of(StampedeProtected.class, RefreshAhead.class, Warmable.class)) {
            hints.reflection().registerType(annotation, MemberCategory.INVOKE_DECLARED_METHODS);
        }
        List<Type> json = new ArrayList<>();
        for (String name : JSON_TYPES) {
            json.add(ClassUtils.resolveClassName(name, classLoader));
        }
        if (ClassUtils.isPresent(ENDPOINT_ANNOTATION, classLoader)) {
            for (String name : ENDPOINT_TYPES) {
                json.add(ClassUtils.resolveClassName(name, classLoader));
            }
        }
        // Records and their components (nested records, the element types of lists and maps) are followed.
        this.bindings.registerReflectionHints(hints.reflection(), json.toArray(Type[]::new));
    }
}
