package dev.cachewarming.interceptor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.data.repository.CrudRepository;
import org.springframework.data.repository.core.EntityInformation;
import org.springframework.data.repository.core.support.RepositoryFactoryInformation;
import org.springframework.util.ClassUtils;

/**
 * Loads many keys of a Spring Data repository's {@code findById} through its {@code findAllById}, matching each
 * entity to its argument by the entity's id as the repository itself reads it ({@link EntityInformation}), so a
 * {@code @Warmable findById} warms in batches with no batch method declared.
 *
 * <p>Only touches Spring Data types when Spring Data is on the classpath.
 */
final class FindAllByIdLoader {

    private static final boolean SPRING_DATA_PRESENT = ClassUtils.isPresent(
            "org.springframework.data.repository.core.support.RepositoryFactoryInformation",
            FindAllByIdLoader.class.getClassLoader());

    private final Function<List<Object>, Iterable<?>> findAllById;

    private final Function<Object, Object> idOf;

    private FindAllByIdLoader(Function<List<Object>, Iterable<?>> findAllById, Function<Object, Object> idOf) {
        this.findAllById = findAllById;
        this.idOf = idOf;
    }

    /**
     * @param beanFactory the bean factory
     * @param beanName the annotated bean
     * @param method the annotated method
     * @return a loader when the method is {@code findById(id)} of a Spring Data {@code CrudRepository} bean,
     * otherwise {@code null}
     */
    static FindAllByIdLoader of(BeanFactory beanFactory, String beanName, Method method) {
        if (!SPRING_DATA_PRESENT || !method.getName().equals("findById") || method.getParameterCount() != 1) {
            return null;
        }
        return SpringData.loader(beanFactory, beanName);
    }

    /**
     * @param ids the arguments of the calls
     * @return the entity found for each argument (arguments with none are left out)
     */
    Map<Object, Object> load(Collection<Object> ids) {
        Map<Object, Object> found = new HashMap<>(ids.size() * 2);
        for (Object entity : this.findAllById.apply(new ArrayList<>(ids))) {
            found.put(this.idOf.apply(entity), entity);
        }
        return found;
    }

    /** Holds every Spring Data type, so the outer class loads without Spring Data. */
    private static final class SpringData {

        @SuppressWarnings("unchecked")
        static FindAllByIdLoader loader(BeanFactory beanFactory, String beanName) {
            if (!(beanFactory.getBean(beanName) instanceof CrudRepository<?, ?>)) {
                return null;
            }
            String factoryName = BeanFactory.FACTORY_BEAN_PREFIX + beanName;
            if (!beanFactory.containsBean(factoryName)
                    || !(beanFactory.getBean(factoryName) instanceof RepositoryFactoryInformation<?, ?> info)) {
                return null;
            }
            EntityInformation<Object, Object> entities = (EntityInformation<Object, Object>) info
                .getEntityInformation();
            // The bean is looked up per call: a repository proxy may be scoped or refreshed.
            return new FindAllByIdLoader(
                    (ids) -> ((CrudRepository<Object, Object>) beanFactory.getBean(beanName)).findAllById(ids),
                    entities::getId);
        }
    }
}
