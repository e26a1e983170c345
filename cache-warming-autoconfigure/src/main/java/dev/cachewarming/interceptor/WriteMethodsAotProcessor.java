package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.WriteBehind;
import dev.cachewarming.annotation.WriteThrough;

/**
 * At build time, registers what the write annotations do by reflection, so that a native image can do it too:
 * binding hints for the declared parameter and return types of every {@code @WriteThrough} and {@code @WriteBehind}
 * method (the values are written to the cache as JSON, and their {@code key} / {@code value} expressions navigate
 * them), and, for {@code @WriteBehind}, the bean's {@code writer} method, invoked reflectively by the flusher with
 * values read back as its declared element type. Registered in {@code META-INF/spring/aot.factories}; the
 * counterpart of {@link CachedMethodsAotProcessor} for the write side.
 */
final class WriteMethodsAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        List<Hint> hints = new ArrayList<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = beanFactory.getType(name, false);
            }
            catch (RuntimeException ex) {
                continue;
            }
            if (type != null) {
                collect(type, hints);
            }
        }
        if (hints.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
            BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
            hints.forEach((hint) -> hint.registerOn(reflection, bindings));
        };
    }

    /** The annotated methods of a bean type, found as {@link WriteMethodScanner} finds them at startup. */
    private static void collect(Class<?> type, List<Hint> into) {
        Set<Class<?>> types = new LinkedHashSet<>();
        if (!Proxy.isProxyClass(type)) {
            types.add(ClassUtils.getUserClass(type));
        }
        types.addAll(ClassUtils.getAllInterfacesForClassAsSet(type));
        Class<?> beanClass = ClassUtils.getUserClass(type);
        Set<String> seen = new LinkedHashSet<>();
        for (Class<?> candidate : types) {
            if (candidate.getName().startsWith("java.") || candidate.getName().startsWith("org.springframework.")) {
                continue;
            }
            for (Method method : candidate.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || method.isBridge()
                        || !seen.add(method.toGenericString())) {
                    continue;
                }
                WriteBehind writeBehind = AnnotatedElementUtils.findMergedAnnotation(method, WriteBehind.class);
                if (writeBehind != null || AnnotatedElementUtils.hasAnnotation(method, WriteThrough.class)) {
                    Class<?> resolveAgainst = candidate.isInterface() ? candidate : beanClass;
                    into.add(new Hint(method, resolveAgainst, beanClass,
                            (writeBehind != null) ? writeBehind.writer() : null));
                }
            }
        }
    }

    /** The reflection one annotated write method needs. */
    private record Hint(Method method, Class<?> resolveAgainst, Class<?> beanClass, String writer) {

        void registerOn(ReflectionHints reflection, BindingReflectionHintsRegistrar bindings) {
            bind(reflection, bindings, ResolvableType.forMethodReturnType(this.method, this.resolveAgainst));
            for (int i = 0; i < this.method.getParameterCount(); i++) {
                bind(reflection, bindings, ResolvableType.forMethodParameter(this.method, i, this.resolveAgainst));
            }
            if (this.writer == null) {
                return;
            }
            reflection.registerType(this.beanClass);
            for (Method candidate : this.beanClass.getMethods()) {
                if (candidate.getName().equals(this.writer) && candidate.getParameterCount() == 1
                        && !candidate.isBridge() && !Modifier.isStatic(candidate.getModifiers())) {
                    reflection.registerMethod(candidate, ExecutableMode.INVOKE);
                    bind(reflection, bindings, ResolvableType.forMethodParameter(candidate, 0, this.beanClass));
                }
            }
        }

        /** Binding hints for a declared type and its type arguments, leaving out the JDK's own types. */
        private static void bind(ReflectionHints reflection, BindingReflectionHintsRegistrar bindings,
                ResolvableType type) {
            Set<Class<?>> classes = new LinkedHashSet<>();
            CachedMethodsAotProcessor.collect(type, classes, 0);
            bindings.registerReflectionHints(reflection, classes.toArray(Class<?>[]::new));
        }
    }
}
