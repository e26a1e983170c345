package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;

/**
 * The advice behind {@code @WriteThrough}: runs the method, takes the entries it wrote from its arguments and result
 * at once (a later change to the returned object is not what was saved), and writes them as one batch after the
 * transaction commits, or at once without one. An exception of the method reaches the caller and writes nothing.
 *
 * <p>A failure of the cache write itself is logged and counted, never thrown: the data is saved, and the caller
 * must not retry a committed write because a cache failed.
 */
public final class WriteThroughInterceptor implements MethodInterceptor {

    private static final Log logger = LogFactory.getLog(WriteThroughInterceptor.class);

    private final Map<Method, WriteMethodResolver.WriteTarget> methods = new ConcurrentHashMap<>();

    void register(Method method, WriteMethodResolver.WriteTarget target) {
        this.methods.putIfAbsent(method, target);
    }

    /** @return how many methods write through */
    public int methods() {
        return this.methods.size();
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        WriteMethodResolver.WriteTarget target = target(invocation);
        Object result = invocation.proceed();
        if (target == null) {
            return result;
        }
        Map<Object, Object> entries;
        try {
            entries = target.expressions().entries(invocation.getArguments(), result);
        }
        catch (RuntimeException ex) {
            logger.warn("@WriteThrough of " + target.description() + " could not compute its cache entries; "
                    + "evicting nothing, writing nothing: " + ex.getMessage());
            return result;
        }
        if (!entries.isEmpty()) {
            AfterCommit.run(() -> write(target, entries));
        }
        return result;
    }

    private WriteMethodResolver.WriteTarget target(MethodInvocation invocation) {
        WriteMethodResolver.WriteTarget target = this.methods.get(invocation.getMethod());
        if (target == null && invocation.getThis() != null) {
            // Called through an interface while the annotation is on the class's method (a JDK proxy).
            Method specific = AopUtils.getMostSpecificMethod(invocation.getMethod(),
                    AopUtils.getTargetClass(invocation.getThis()));
            target = this.methods.get(specific);
            if (target != null) {
                this.methods.putIfAbsent(invocation.getMethod(), target);
            }
        }
        return target;
    }

    private static void write(WriteMethodResolver.WriteTarget target, Map<Object, Object> entries) {
        try {
            target.cache().putAll(entries);
        }
        catch (RuntimeException ex) {
            // L2 failures are counted inside the cache; this is a value L1 itself refused.
            logger.warn("@WriteThrough of " + target.description() + " could not write cache '"
                    + target.cache().name() + "'", ex);
        }
    }
}
