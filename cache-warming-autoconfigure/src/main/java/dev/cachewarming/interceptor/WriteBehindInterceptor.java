package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;

import dev.cachewarming.write.WriteBehindQueue;

/**
 * The advice behind {@code @WriteBehind}: runs the method, then appends the entries it makes to the cache's durable
 * log and writes them to the cache before returning. If the log cannot take them the caller gets a
 * {@link dev.cachewarming.write.WriteBehindException}: a write returns normally only once it is in Redis.
 */
public final class WriteBehindInterceptor implements MethodInterceptor {

    private record Target(WriteMethodResolver.WriteTarget write, WriteBehindQueue queue) {
    }

    private final Map<Method, Target> methods = new ConcurrentHashMap<>();

    void register(Method method, WriteMethodResolver.WriteTarget write, WriteBehindQueue queue) {
        this.methods.putIfAbsent(method, new Target(write, queue));
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Target target = this.methods.get(invocation.getMethod());
        if (target == null && invocation.getThis() != null) {
            target = this.methods.get(AopUtils.getMostSpecificMethod(invocation.getMethod(),
                    AopUtils.getTargetClass(invocation.getThis())));
        }
        Object result = invocation.proceed();
        if (target != null) {
            Map<Object, Object> entries = target.write().expressions().entries(invocation.getArguments(), result);
            if (!entries.isEmpty()) {
                target.queue().enqueueAll(entries);
            }
        }
        return result;
    }
}
