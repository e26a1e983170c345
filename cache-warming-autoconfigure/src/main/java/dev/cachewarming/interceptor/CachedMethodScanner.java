package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;

/**
 * Once every singleton exists, finds the annotated methods of all beans (classes, their interfaces, Spring Data
 * repository interfaces) and resolves them, so that a mistake fails startup, naming the method, instead of the
 * first call.
 */
public final class CachedMethodScanner implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;

    private final CachedMethodInterceptor interceptor;

    /**
     * @param beanFactory the application's bean factory
     * @param interceptor the interceptor to prepare
     */
    public CachedMethodScanner(ConfigurableListableBeanFactory beanFactory, CachedMethodInterceptor interceptor) {
        this.beanFactory = beanFactory;
        this.interceptor = interceptor;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : this.beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = this.beanFactory.getType(name, false);
            }
            catch (RuntimeException ex) {
                continue;
            }
            if (type != null) {
                scan(type);
            }
        }
    }

    private void scan(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>();
        if (!Proxy.isProxyClass(type)) {
            types.add(ClassUtils.getUserClass(type));
        }
        types.addAll(ClassUtils.getAllInterfacesForClassAsSet(type));
        Class<?> targetClass = ClassUtils.getUserClass(type);
        for (Class<?> candidate : types) {
            if (candidate.getName().startsWith("java.") || candidate.getName().startsWith("org.springframework.")) {
                continue;
            }
            for (Method method : candidate.getMethods()) {
                if (!Modifier.isStatic(method.getModifiers()) && !method.isBridge() && isAnnotated(method)) {
                    this.interceptor.prepare(method, candidate.isInterface() ? candidate : targetClass);
                }
            }
        }
    }

    private static boolean isAnnotated(Method method) {
        return org.springframework.core.annotation.AnnotatedElementUtils.hasAnnotation(method, StampedeProtected.class)
                || org.springframework.core.annotation.AnnotatedElementUtils.hasAnnotation(method, RefreshAhead.class);
    }
}
