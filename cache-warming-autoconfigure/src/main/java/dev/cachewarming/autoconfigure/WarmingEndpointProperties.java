package dev.cachewarming.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the {@code warming} actuator endpoint, under {@code management.endpoint.warming.*}.
 */
@ConfigurationProperties("management.endpoint.warming")
public class WarmingEndpointProperties {

    /**
     * When to show cache keys (the hottest keys) instead of masking them: never, when-authorized or always.
     */
    private Show showKeys = Show.NEVER;

    /**
     * Roles allowed to see keys when show-keys is when-authorized; empty means any authenticated user.
     */
    private Set<String> roles = new LinkedHashSet<>();

    public Show getShowKeys() {
        return this.showKeys;
    }

    public void setShowKeys(Show showKeys) {
        this.showKeys = showKeys;
    }

    public Set<String> getRoles() {
        return this.roles;
    }

    public void setRoles(Set<String> roles) {
        this.roles = roles;
    }
}
