package dev.cachewarming.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations cache-warming makes: their names (from the default conventions) and the key values those
 * conventions add. Every key value is low-cardinality (bounded by the number of caches); no observation names
 * the cache key, since keys are unbounded and often personal data. A convention of your own can add it from the
 * context ({@link CacheLoadContext#getKey()} and the like), as a high-cardinality key value.
 *
 * <p>Observations are made only off the hit path: an L1 hit never creates one.
 */
public enum CacheObservationDocumentation implements ObservationDocumentation {

    /** A miss (or a refresh, or a repopulation) that runs the loader and stores its value. */
    CACHE_LOAD {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultCacheLoadObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { CommonKeys.CACHE, LoadKeys.TRIGGER, CommonKeys.RESULT };
        }
    },

    /**
     * A refresh-ahead reload of an entry that is still cached, on the refresh executor. Named
     * {@code cache.refresh.reload}: {@code cache.refresh} is already the refresh counter, and a timer of the same
     * name with other tags would be refused by Prometheus.
     */
    CACHE_REFRESH {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultCacheRefreshObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { CommonKeys.CACHE, CommonKeys.RESULT };
        }
    },

    /** A caller that lost a key's lease waiting for the instance that holds it to load the key. */
    CACHE_LEASE_WAIT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultLeaseWaitObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { CommonKeys.CACHE, CommonKeys.RESULT };
        }
    },

    /** A warm-up run: every warmable cache at startup, or one cache re-warmed. */
    CACHE_WARMING {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultWarmupObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { CommonKeys.CACHE, CommonKeys.RESULT };
        }
    },

    /** One batch of one cache's keys within a warm-up. */
    CACHE_WARMING_BATCH {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultWarmupBatchObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { CommonKeys.CACHE, BatchKeys.LOAD_MODE, BatchKeys.TIER, CommonKeys.RESULT };
        }
    };

    /** Key names every observation has. */
    public enum CommonKeys implements KeyName {

        /** The cache name; {@code all} for a warm-up of every warmable cache. */
        CACHE {
            @Override
            public String asString() {
                return "cache";
            }
        },

        /** How the observed operation ended; the values are listed with each context's {@code Result}. */
        RESULT {
            @Override
            public String asString() {
                return "result";
            }
        }
    }

    /** Key names of {@link #CACHE_LOAD}. */
    public enum LoadKeys implements KeyName {

        /** What made the load run: {@code miss}, {@code refresh} or {@code explicit} (repopulation). */
        TRIGGER {
            @Override
            public String asString() {
                return "trigger";
            }
        }
    }

    /** Key names of {@link #CACHE_WARMING_BATCH}. */
    public enum BatchKeys implements KeyName {

        /**
         * How keys missing in Redis were loaded: {@code batch-method}, {@code find-all-by-id} or
         * {@code key-by-key}.
         */
        LOAD_MODE {
            @Override
            public String asString() {
                return "load.mode";
            }
        },

        /** The warm-up tier of the cache: {@code required}, {@code high} or {@code low}. */
        TIER {
            @Override
            public String asString() {
                return "tier";
            }
        }
    }
}
