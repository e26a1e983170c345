package dev.cachewarming.autoconfigure;

import java.nio.file.Path;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Dumps of a cache's Redis entries and populates from them through the {@code cachedumps} endpoint, under
 * {@code cache-warming.dump.*}. Checked once bound: a value it cannot run with fails startup naming the property.
 */
@ConfigurationProperties("cache-warming.dump")
public class DumpProperties implements InitializingBean {

    /**
     * Directory the endpoint writes dumps into and populates from; each dump is a subdirectory named in the request.
     */
    private Path directory = Path.of("cache-dumps");

    /**
     * Entries per chunk file of a dump.
     */
    private int chunkEntries = 10_000;

    /**
     * Entries read from or written to Redis per round trip.
     */
    private int batchSize = 1_000;

    /**
     * Most entries a populate writes per second (0 for no limit), so a populate of the application's own Redis
     * leaves room for its traffic.
     */
    private long populateRate = 50_000;

    @Override
    public void afterPropertiesSet() {
        if (this.chunkEntries < 1) {
            throw new InvalidCacheWarmingPropertyException("cache-warming.dump.chunk-entries", this.chunkEntries,
                    "must be at least 1", "Set the entries per chunk file, such as 10000.");
        }
        if (this.batchSize < 1) {
            throw new InvalidCacheWarmingPropertyException("cache-warming.dump.batch-size", this.batchSize,
                    "must be at least 1", "Set the entries per round trip, such as 1000.");
        }
        if (this.populateRate < 0) {
            throw new InvalidCacheWarmingPropertyException("cache-warming.dump.populate-rate", this.populateRate,
                    "is negative", "Set entries per second, or 0 for no limit.");
        }
    }

    public Path getDirectory() {
        return this.directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    public int getChunkEntries() {
        return this.chunkEntries;
    }

    public void setChunkEntries(int chunkEntries) {
        this.chunkEntries = chunkEntries;
    }

    public int getBatchSize() {
        return this.batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getPopulateRate() {
        return this.populateRate;
    }

    public void setPopulateRate(long populateRate) {
        this.populateRate = populateRate;
    }
}
