package dev.cachewarming.interceptor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import tools.jackson.databind.JavaType;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ResolvableType;

import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.write.WriteBehindFlusher;
import dev.cachewarming.write.WriteBehindLog;

/**
 * Hands a write-behind batch to the {@code writer} method of the bean that declared {@code @WriteBehind}, called
 * through the bean's proxy (so its {@code @Transactional} applies), with the values read back from the log's JSON
 * as the element type the writer declares.
 */
final class BeanMethodBatchWriter implements WriteBehindFlusher.BatchWriter {

    private final BeanFactory beanFactory;

    private final String beanName;

    private final Method writer;

    private final JavaType elementType;

    private final ValueJson json;

    private BeanMethodBatchWriter(BeanFactory beanFactory, String beanName, Method writer, JavaType elementType,
            ValueJson json) {
        this.beanFactory = beanFactory;
        this.beanName = beanName;
        this.writer = writer;
        this.elementType = elementType;
        this.json = json;
    }

    /**
     * @param description the annotated method, for messages
     * @param beanFactory where the bean is
     * @param beanName the bean
     * @param beanClass its class
     * @param writerName the writer method's name
     * @param json reads the values
     * @return the writer
     * @throws InvalidCachedMethodException if the bean has no such method taking one collection
     */
    static BeanMethodBatchWriter of(String description, BeanFactory beanFactory, String beanName, Class<?> beanClass,
            String writerName, ValueJson json) {
        for (Method method : beanClass.getMethods()) {
            if (method.getName().equals(writerName) && method.getParameterCount() == 1
                    && !Modifier.isStatic(method.getModifiers())
                    && method.getParameterTypes()[0].isAssignableFrom(List.class)) {
                ResolvableType collection = ResolvableType.forMethodParameter(method, 0, beanClass)
                    .as(Collection.class);
                ResolvableType element = (collection == ResolvableType.NONE) ? ResolvableType.forClass(Object.class)
                        : collection.getGeneric(0);
                if (element.resolve() == null || element.resolve() == Object.class) {
                    throw new InvalidCachedMethodException(description, "@WriteBehind writer '" + writerName
                            + "' does not declare its element type", "Declare it as e.g. void " + writerName
                                    + "(List<Product> values): the values are read from Redis as that type.");
                }
                return new BeanMethodBatchWriter(beanFactory, beanName, method, javaType(json, element), json);
            }
        }
        throw new InvalidCachedMethodException(description, "@WriteBehind writer '" + writerName + "' is not a "
                + "public method of " + beanClass.getName() + " taking one List",
                "Add public void " + writerName + "(List<YourValue> values) to the bean, or name an existing one.");
    }

    /** The type as resolved (a type variable of Collection resolves to the declared element type). */
    private static JavaType javaType(ValueJson json, ResolvableType type) {
        if (type.isArray()) {
            return json.arrayOf(javaType(json, type.getComponentType()));
        }
        Class<?> raw = type.resolve(Object.class);
        if (!type.hasGenerics()) {
            return json.type(raw);
        }
        ResolvableType[] generics = type.getGenerics();
        JavaType[] parameters = new JavaType[generics.length];
        for (int i = 0; i < generics.length; i++) {
            parameters[i] = javaType(json, generics[i]);
        }
        return json.parametric(raw, parameters);
    }

    /** @return the writer method */
    Method method() {
        return this.writer;
    }

    @Override
    public void write(List<WriteBehindLog.Entry> latest) throws Exception {
        List<Object> values = new ArrayList<>(latest.size());
        for (WriteBehindLog.Entry entry : latest) {
            values.add(this.json.readBytes(entry.value(), this.elementType));
        }
        Object bean = this.beanFactory.getBean(this.beanName);
        try {
            this.writer.invoke(bean, values);
        }
        catch (InvocationTargetException ex) {
            if (ex.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw ex;
        }
    }
}
