package dev.cachewarming.cache;

import java.util.Arrays;

/**
 * The key of a call with several arguments: the ordered arguments, compared by value.
 */
public final class ArgumentsKey {

    private final Object[] arguments;

    private final int hash;

    /**
     * @param arguments the call's arguments (not copied: the caller hands over the array)
     */
    public ArgumentsKey(Object[] arguments) {
        this.arguments = arguments;
        this.hash = Arrays.deepHashCode(arguments);
    }

    /** @return the arguments, in order */
    public Object[] arguments() {
        return this.arguments.clone();
    }

    /** @return the arguments array itself, not to be modified */
    public Object[] unsafeArguments() {
        return this.arguments;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof ArgumentsKey key && this.hash == key.hash
                && Arrays.deepEquals(this.arguments, key.arguments));
    }

    @Override
    public int hashCode() {
        return this.hash;
    }

    @Override
    public String toString() {
        return Arrays.deepToString(this.arguments);
    }
}
