package dev.cachewarming.interceptor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.core.NativeDetector;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.util.ObjectUtils;

import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.warming.Repopulator;
import dev.cachewarming.warming.WarmableMethod;
import dev.cachewarming.warming.WarmupLoadMode;

/**
 * Builds the {@link WarmableMethod} and the {@link Repopulator} of annotated bean methods at startup, checking
 * the batch method and the declared keys so that mistakes fail startup naming the method.
 */
final class WarmableMethodFactory {

    private final BeanFactory beanFactory;

    private final int defaultBatchSize;

    /**
     * batchKey runs once per loaded value: compiled to bytecode after its first runs (interpreted where it cannot
     * be). A native image cannot define classes at run time, so there expressions are only interpreted.
     */
    static final SpelCompilerMode SPEL_COMPILER_MODE = NativeDetector.inNativeImage() ? SpelCompilerMode.OFF
            : SpelCompilerMode.MIXED;

    private final SpelExpressionParser parser = new SpelExpressionParser(
            new SpelParserConfiguration(SPEL_COMPILER_MODE, WarmableMethodFactory.class.getClassLoader()));

    private final List<KeySourceFactory> extraSources;

    WarmableMethodFactory(BeanFactory beanFactory, int defaultBatchSize, List<KeySourceFactory> extraSources) {
        this.beanFactory = beanFactory;
        this.defaultBatchSize = defaultBatchSize;
        this.extraSources = extraSources;
    }

    Repopulator repopulator(String beanName, Method method, CachedMethod cached) {
        return (arguments) -> cached.cache()
            .load(cached.keyFunction().key(arguments),
                    () -> CachedMethodInterceptor.bypassingCache(() -> invoke(beanName, method, arguments)))
            .value();
    }

    WarmableMethod create(String beanName, Method method, CachedMethod cached, Warmable warmable) {
        String description = cached.description();
        WarmableMethod.BatchLoader batchLoader = batchLoader(beanName, method, cached, warmable);
        WarmupLoadMode loadMode = WarmupLoadMode.BATCH_METHOD;
        if (batchLoader == null) {
            FindAllByIdLoader findAllById = FindAllByIdLoader.of(this.beanFactory, beanName, method);
            batchLoader = (findAllById != null) ? findAllByIdLoader(findAllById, cached.returnsOptional()) : null;
            loadMode = (findAllById != null) ? WarmupLoadMode.FIND_ALL_BY_ID : WarmupLoadMode.KEY_BY_KEY;
        }
        List<WarmableMethod.KeySource> sources = new ArrayList<>();
        Supplier<Iterable<Object[]>> declared = declaredKeys(method, description, warmable.keys());
        if (declared != null) {
            sources.add(new WarmableMethod.KeySource("declared", declared));
        }
        this.extraSources.forEach((extra) -> {
            WarmableMethod.KeySource source = extra.create(cached.cache().name(), method, cached.argumentsCodec());
            if (source != null) {
                sources.add(source);
            }
        });
        int batchSize = (warmable.batchSize() > 0) ? warmable.batchSize() : this.defaultBatchSize;
        if (!warmable.cron().isEmpty() && !org.springframework.scheduling.support.CronExpression
            .isValidExpression(warmable.cron())) {
            throw new InvalidCachedMethodException(description, "cron '" + warmable.cron()
                    + "' is not a valid cron expression", "Use six fields, e.g. cron = \"0 0 * * * *\" (hourly).");
        }
        return new WarmableMethod(cached.cache().name(), description, warmable.tier(), cached.cache(),
                (arguments) -> cached.keyFunction().key(arguments), cached.argumentsCodec(),
                (arguments) -> CachedMethodInterceptor.bypassingCache(() -> invoke(beanName, method, arguments)),
                batchLoader, loadMode, batchSize, sources,
                cached.recorder(), warmable.cron());
    }

    private Object invoke(String beanName, Method method, Object[] arguments) throws Exception {
        Object bean = this.beanFactory.getBean(beanName);
        try {
            return method.invoke(bean, arguments);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getTargetException();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        }
    }

    private WarmableMethod.BatchLoader batchLoader(String beanName, Method method, CachedMethod cached,
            Warmable warmable) {
        if (warmable.batchMethod().isEmpty()) {
            return null;
        }
        String description = cached.description();
        if (method.getParameterCount() != 1) {
            throw new InvalidCachedMethodException(description, "batchMethod needs a method with one parameter",
                    "Remove batchMethod, or warm this method key by key.");
        }
        Object bean = this.beanFactory.getBean(beanName);
        Method batch = null;
        for (Method candidate : bean.getClass().getMethods()) {
            if (candidate.getName().equals(warmable.batchMethod()) && candidate.getParameterCount() == 1
                    && candidate.getParameterTypes()[0].isAssignableFrom(ArrayList.class)) {
                batch = candidate;
                break;
            }
        }
        if (batch == null) {
            throw new InvalidCachedMethodException(description, "batchMethod '" + warmable.batchMethod()
                    + "' is not a public method of bean '" + beanName + "' taking one Collection or Iterable",
                    "Name a method such as findAllById(Iterable<ID>), or remove batchMethod.");
        }
        boolean returnsMap = Map.class.isAssignableFrom(batch.getReturnType());
        if (!returnsMap && warmable.batchKey().isEmpty()) {
            throw new InvalidCachedMethodException(description, "batchMethod '" + warmable.batchMethod()
                    + "' returns values, not a Map, so each value's key must be named",
                    "Set batchKey to the property of a value that holds its argument, e.g. batchKey = \"id\".");
        }
        Expression batchKey = returnsMap ? null : parse(description, warmable.batchKey(), "batchKey");
        Method batchMethod = batch;
        boolean optional = cached.returnsOptional();
        return (arguments) -> {
            Object result = CachedMethodInterceptor.bypassingCache(() -> {
                try {
                    return batchMethod.invoke(this.beanFactory.getBean(beanName), new ArrayList<>(arguments));
                }
                catch (InvocationTargetException ex) {
                    throw (ex.getTargetException() instanceof Exception e) ? e : ex;
                }
            });
            Map<Object, Object> found = new LinkedHashMap<>();
            if (result instanceof Map<?, ?> map) {
                map.forEach(found::put);
            }
            else if (result != null) {
                for (Object value : (Iterable<?>) result) {
                    found.put(batchKey.getValue(value), value);
                }
            }
            Map<Object, Object> values = new LinkedHashMap<>();
            for (Object argument : arguments) {
                Object value = found.get(argument);
                values.put(argument, optional ? Optional.ofNullable(value) : value);
            }
            return values;
        };
    }

    private static WarmableMethod.BatchLoader findAllByIdLoader(FindAllByIdLoader loader, boolean optional) {
        return (arguments) -> {
            Map<Object, Object> found = CachedMethodInterceptor.bypassingCache(() -> loader.load(arguments));
            Map<Object, Object> values = new LinkedHashMap<>(arguments.size() * 2);
            for (Object argument : arguments) {
                Object value = found.get(argument);
                values.put(argument, optional ? Optional.ofNullable(value) : value);
            }
            return values;
        };
    }

    private Supplier<Iterable<Object[]>> declaredKeys(Method method, String description, String expression) {
        if (expression.isEmpty()) {
            return null;
        }
        Expression parsed = parse(description, expression, "keys");
        int parameters = method.getParameterCount();
        return () -> {
            StandardEvaluationContext context = new StandardEvaluationContext();
            context.setBeanResolver(new BeanFactoryResolver(this.beanFactory));
            Object value = parsed.getValue(context);
            List<Object[]> calls = new ArrayList<>();
            Iterator<?> elements = elements(value);
            while (elements.hasNext()) {
                Object element = elements.next();
                if (parameters == 1) {
                    calls.add(new Object[] { element });
                }
                else if (element instanceof Object[] array) {
                    calls.add(array);
                }
                else if (element instanceof Collection<?> collection) {
                    calls.add(collection.toArray());
                }
                else {
                    throw new IllegalStateException("keys of " + description + " must give argument arrays or lists "
                            + "for a method of " + parameters + " parameters, got " + element);
                }
            }
            return calls;
        };
    }

    private static Iterator<?> elements(Object value) {
        if (value == null) {
            return List.of().iterator();
        }
        if (value instanceof Iterable<?> iterable) {
            return iterable.iterator();
        }
        if (value instanceof Stream<?> stream) {
            return stream.iterator();
        }
        if (value.getClass().isArray()) {
            return List.of(ObjectUtils.toObjectArray(value)).iterator();
        }
        return List.of(value).iterator();
    }

    private Expression parse(String description, String expression, String attribute) {
        try {
            return this.parser.parseExpression(expression);
        }
        catch (ParseException ex) {
            throw new InvalidCachedMethodException(description, attribute + " '" + expression
                    + "' is not a valid SpEL expression: " + ex.getMessage(), "Fix the expression.");
        }
    }
}
