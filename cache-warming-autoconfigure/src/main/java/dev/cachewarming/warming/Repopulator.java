package dev.cachewarming.warming;

/** Loads a fresh value for a call of one annotated method and stores it, whatever is cached. */
@FunctionalInterface
public interface Repopulator {

    /**
     * @param arguments the call's arguments
     * @return the fresh value
     * @throws Exception what the method threw
     */
    Object repopulate(Object[] arguments) throws Exception;
}
