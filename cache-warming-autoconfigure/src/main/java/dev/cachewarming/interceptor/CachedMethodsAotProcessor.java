package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.BeanReference;
import org.springframework.expression.spel.ast.MethodReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

import dev.cachewarming.annotation.Warmable;

/**
 * At build time, finds the annotated methods of every bean exactly as {@link CachedMethodScanner} will at startup,
 * and registers what the starter then does by reflection, so that a native image can do it too:
 * <ul>
 * <li>the annotated method, invoked by {@code Method.invoke} when warming and repopulating;</li>
 * <li>binding hints for its declared return type and parameter types (and their type arguments), which Jackson
 * reads and writes as the cached values and keys, and SpEL {@code key} expressions navigate;</li>
 * <li>the {@code @Warmable} batch method (invoked reflectively) and the types it returns, whose properties the
 * {@code batchKey} expression reads;</li>
 * <li>the bean methods a {@code @Warmable keys} expression calls as {@code @bean.method(...)}, and their return
 * types.</li>
 * </ul>
 * What an expression reaches otherwise (other methods it calls, {@code T(...)} types, properties of types that
 * are not declared by the method) cannot be derived here and is the application's to hint. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
final class CachedMethodsAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        List<Hint> hints = new ArrayList<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanType(beanFactory, name);
            if (type == null) {
                continue;
            }
            for (CachedMethodScanner.Candidate candidate : CachedMethodScanner.annotatedMethods(type)) {
                hints.add(new Hint(candidate, ClassUtils.getUserClass(type), beanFactory));
            }
        }
        if (hints.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
            hints.forEach((hint) -> hint.registerOn(reflection));
        };
    }

    /**
     * The classes whose bindings a declared type needs: itself and its type arguments (and array components),
     * leaving out the JDK's own types; shared with {@link WriteMethodsAotProcessor}.
     */
    static void collect(ResolvableType type, Set<Class<?>> into, int depth) {
        Class<?> raw = type.resolve();
        if (raw == null || depth > 8) {
            return;
        }
        if (raw.isArray()) {
            collect(type.getComponentType(), into, depth + 1);
            return;
        }
        if (!raw.isPrimitive() && !raw.getName().startsWith("java.")) {
            into.add(raw);
        }
        for (ResolvableType generic : type.getGenerics()) {
            collect(generic, into, depth + 1);
        }
    }

    private static Class<?> beanType(ConfigurableListableBeanFactory beanFactory, String name) {
        try {
            // As the scanner asks at startup; without initializing factory beans (repositories say their type).
            return beanFactory.getType(name, false);
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    /** The reflection one annotated method needs; types are resolved when the processor runs. */
    private static final class Hint {

        private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

        private final Method method;

        private final Class<?> targetClass;

        private final Class<?> beanClass;

        private final Warmable warmable;

        private final List<Method> keysMethods;

        Hint(CachedMethodScanner.Candidate candidate, Class<?> beanClass, ConfigurableListableBeanFactory beanFactory) {
            this.method = candidate.method();
            this.targetClass = candidate.targetClass();
            this.beanClass = beanClass;
            this.warmable = AnnotatedElementUtils.findMergedAnnotation(this.method, Warmable.class);
            this.keysMethods = (this.warmable != null) ? beanMethodsCalled(this.warmable.keys(), beanFactory)
                    : List.of();
        }

        void registerOn(ReflectionHints reflection) {
            // The scanner lists the methods of the class (or interface) that declares the annotation.
            reflection.registerType(this.method.getDeclaringClass());
            reflection.registerMethod(this.method, ExecutableMode.INVOKE);
            bind(reflection, ResolvableType.forMethodReturnType(this.method, this.targetClass));
            for (int i = 0; i < this.method.getParameterCount(); i++) {
                bind(reflection, ResolvableType.forMethodParameter(this.method, i, this.targetClass));
            }
            if (this.warmable != null && !this.warmable.batchMethod().isEmpty()) {
                reflection.registerType(this.beanClass);
                for (Method batch : publicMethodsNamed(this.beanClass, this.warmable.batchMethod())) {
                    if (batch.getParameterCount() == 1) {
                        reflection.registerMethod(batch, ExecutableMode.INVOKE);
                        bind(reflection, ResolvableType.forMethodReturnType(batch, this.beanClass));
                    }
                }
            }
            for (Method called : this.keysMethods) {
                reflection.registerType(called.getDeclaringClass());
                reflection.registerMethod(called, ExecutableMode.INVOKE);
                bind(reflection, ResolvableType.forMethodReturnType(called, called.getDeclaringClass()));
            }
        }

        /** Binding hints for a declared type and its type arguments, leaving out the JDK's own types. */
        private void bind(ReflectionHints reflection, ResolvableType type) {
            Set<Class<?>> classes = new LinkedHashSet<>();
            collect(type, classes, 0);
            this.bindings.registerReflectionHints(reflection, classes.toArray(Class<?>[]::new));
        }

        /**
         * The methods a {@code keys} expression calls on beans, as {@code @bean.method(...)}: every public method
         * of that name, since the arguments' types are only known when the expression runs.
         */
        private static List<Method> beanMethodsCalled(String expression, ConfigurableListableBeanFactory beanFactory) {
            if (expression.isEmpty()) {
                return List.of();
            }
            SpelNode ast;
            try {
                ast = ((SpelExpression) new SpelExpressionParser().parseExpression(expression)).getAST();
            }
            catch (ParseException | ClassCastException ex) {
                // The scanner reports an invalid expression at startup, naming the method.
                return List.of();
            }
            List<Method> methods = new ArrayList<>();
            collectBeanCalls(ast, beanFactory, methods);
            return methods;
        }

        private static void collectBeanCalls(SpelNode node, ConfigurableListableBeanFactory beanFactory,
                List<Method> into) {
            for (int i = 0; i + 1 < node.getChildCount(); i++) {
                if (node.getChild(i) instanceof BeanReference bean
                        && node.getChild(i + 1) instanceof MethodReference call) {
                    Class<?> type = beanType(beanFactory, bean.getName());
                    if (type != null) {
                        into.addAll(publicMethodsNamed(ClassUtils.getUserClass(type), call.getName()));
                    }
                }
            }
            for (int i = 0; i < node.getChildCount(); i++) {
                collectBeanCalls(node.getChild(i), beanFactory, into);
            }
        }

        private static List<Method> publicMethodsNamed(Class<?> type, String name) {
            List<Method> found = new ArrayList<>();
            for (Method candidate : type.getMethods()) {
                if (candidate.getName().equals(name) && !candidate.isBridge()
                        && !Modifier.isStatic(candidate.getModifiers())) {
                    found.add(candidate);
                }
            }
            return found;
        }
    }
}
