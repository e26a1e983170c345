package dev.cachewarming.interceptor;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;

import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Turns the invocation of a refreshed method into a loader that runs the rest of the advice chain and the target
 * again, for a later background refresh of the same key.
 *
 * <p>One instance per refreshed method. Every tracked key needs a loader, so the loader keeps only the key's
 * arguments and shares one template invocation (a clone taken before the chain proceeds) among all keys called
 * on the same proxy and target: a clone per key retained about 200 bytes per tracked key (measured, see
 * docs/benchmarks.md).
 */
final class InvocationReplay {

    private volatile ProxyMethodInvocation template;

    /**
     * @param invocation an invocation that has not proceeded past the cache interceptor yet
     * @return the loader, or one that fails if the invocation cannot be replayed
     */
    Callable<?> reloader(Object invocation) {
        if (!(invocation instanceof ProxyMethodInvocation proxyInvocation)) {
            return () -> {
                throw new IllegalStateException("Cannot refresh: " + invocation + " cannot be replayed");
            };
        }
        ProxyMethodInvocation shared = this.template;
        if (shared == null || shared.getProxy() != proxyInvocation.getProxy()
                || shared.getThis() != proxyInvocation.getThis()) {
            // Another bean of the same class (or the first call): it gets a template of its own.
            shared = (ProxyMethodInvocation) proxyInvocation.invocableClone();
            if (this.template == null) {
                this.template = shared;
            }
        }
        ProxyMethodInvocation replayed = shared;
        Object[] arguments = proxyInvocation.getArguments().clone();
        return () -> proceed((MethodInvocation) replayed.invocableClone(arguments.clone()));
    }

    /**
     * Proceeds with an invocation as a {@code Callable} would: checked throwables that are not exceptions are
     * wrapped.
     * @param invocation the invocation
     * @return its result
     */
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
}
