package dev.cachewarming.interceptor;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.ProxyMethodInvocation;

import dev.cachewarming.refresh.RefreshAheadScheduler;

/**
 * Replays a {@code @RefreshAhead} method for a key: the refresher's way of calling the method again (through the
 * rest of its advice chain, then the target) with the arguments of the key's read.
 *
 * <p>What a key's entry keeps is shared by every key of a bean when the key says the arguments (one argument, all
 * the arguments, none): a template invocation of the bean, cloned per refresh with the arguments made of the key.
 * Only keys computed by an expression keep their own arguments. Thread-safe.
 */
final class InvocationReplay implements RefreshAheadScheduler.Reloads {

    private final Function<Object, Object[]> argumentsOfKey;

    private volatile BeanReplay shared;

    /**
     * @param argumentsOfKey makes a call's arguments of its key, or {@code null} where the key does not say them
     */
    InvocationReplay(Function<Object, Object[]> argumentsOfKey) {
        this.argumentsOfKey = argumentsOfKey;
    }

    @Override
    public Object contextOf(Object readContext) {
        if (!(readContext instanceof ProxyMethodInvocation invocation)) {
            return new Unreplayable(String.valueOf(readContext));
        }
        BeanReplay bean = this.shared;
        if (bean == null || bean.template.getProxy() != invocation.getProxy()
                || bean.template.getThis() != invocation.getThis()) {
            // Another bean of the same class (or the first call): it gets a template of its own. Cloned before
            // the invocation proceeds, as a clone must be to proceed again.
            bean = new BeanReplay((ProxyMethodInvocation) invocation.invocableClone());
            if (this.shared == null) {
                this.shared = bean;
            }
        }
        return (this.argumentsOfKey != null) ? bean : new KeyedReplay(bean, invocation.getArguments().clone());
    }

    @Override
    public Callable<?> reloader(Object key, Object context) {
        if (context instanceof KeyedReplay keyed) {
            return () -> proceed(keyed.bean.template.invocableClone(keyed.arguments.clone()));
        }
        if (context instanceof BeanReplay bean) {
            Object[] arguments = this.argumentsOfKey.apply(key);
            return () -> proceed(bean.template.invocableClone(arguments));
        }
        return () -> {
            throw new IllegalStateException("Cannot refresh: " + ((Unreplayable) context).description
                    + " cannot be replayed");
        };
    }

    static Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        }
        catch (Exception | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new UndeclaredThrowableException(ex);
        }
    }

    private record BeanReplay(ProxyMethodInvocation template) {
    }

    private record KeyedReplay(BeanReplay bean, Object[] arguments) {
    }

    private record Unreplayable(String description) {
    }
}
