package dev.cachewarming.redis;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.cachewarming.cache.InvalidationListener;
import dev.cachewarming.cache.ValueJson;

/**
 * Listens on the invalidation channel and hands other instances' changes to an {@link InvalidationListener};
 * when the connection to Redis is lost and comes back, asks it to resync, since messages sent meanwhile are gone
 * (Redis pub/sub does not keep them).
 *
 * <p>Messages are handled on Lettuce's I/O thread: handling one only drops in-process entries, which never blocks.
 */
public final class RedisInvalidationSubscriber implements MessageListener, SmartLifecycle, AutoCloseable {

    private static final Log logger = LogFactory.getLog(RedisInvalidationSubscriber.class);

    private final RedisConnectionFactory connectionFactory;

    private final RedisKeys keys;

    private final ValueJson json;

    private final String instanceId;

    // How this instance's own messages begin: InvalidationMessage writes its sender id first, always.
    private final byte[] ownPrefix;

    private final InvalidationListener listener;

    private final AtomicBoolean connectionLost = new AtomicBoolean();

    private static final long RETRY_INTERVAL_MILLIS = 1000L;

    private RedisMessageListenerContainer container;

    private ScheduledExecutorService retries;

    private boolean running;

    private Disposable connectionEvents;

    /**
     * @param connectionFactory the application's Redis connection factory
     * @param keys names the channel
     * @param json decodes messages
     * @param instanceId this instance's id; its own messages are ignored
     * @param listener receives the changes
     */
    public RedisInvalidationSubscriber(RedisConnectionFactory connectionFactory, RedisKeys keys, ValueJson json,
            String instanceId, InvalidationListener listener) {
        this.connectionFactory = connectionFactory;
        this.keys = keys;
        this.json = json;
        this.instanceId = instanceId;
        this.ownPrefix = ("{\"i\":" + json.writeString(instanceId)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.listener = listener;
    }

    /**
     * Subscribes. If Redis is not reachable, carries on and retries every second in the background; once the
     * subscription is made, asks for a resync, since changes made meanwhile were not heard.
     */
    @Override
    public synchronized void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        watchReconnects();
        if (!trySubscribe()) {
            logger.warn("Cannot subscribe to " + this.keys.invalidationChannel() + " yet; retrying every second. "
                    + "Until then in-process copies of shared entries may stay stale for up to their l1-ttl");
            this.retries = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "cache-warming-invalidation-subscriber");
                thread.setDaemon(true);
                return thread;
            });
            this.retries.schedule(this::retrySubscribe, RETRY_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void retrySubscribe() {
        synchronized (this) {
            if (!this.running) {
                return;
            }
            if (!trySubscribe()) {
                this.retries.schedule(this::retrySubscribe, RETRY_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            this.retries.shutdown();
            this.retries = null;
        }
        logger.info("Subscribed to " + this.keys.invalidationChannel());
        this.listener.resyncRequired();
    }

    private boolean trySubscribe() {
        RedisMessageListenerContainer listenerContainer = new RedisMessageListenerContainer();
        listenerContainer.setConnectionFactory(this.connectionFactory);
        listenerContainer.setTaskExecutor(new SyncTaskExecutor());
        listenerContainer.setRecoveryInterval(RETRY_INTERVAL_MILLIS);
        listenerContainer.addMessageListener(this, java.util.List.of(new ChannelTopic(this.keys.invalidationChannel()),
                new ChannelTopic(this.keys.batchInvalidationChannel())));
        listenerContainer.afterPropertiesSet();
        try {
            listenerContainer.start();
            this.container = listenerContainer;
            return true;
        }
        catch (RuntimeException ex) {
            logger.debug("Subscribing to " + this.keys.invalidationChannel() + " failed", ex);
            destroy(listenerContainer);
            return false;
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        if (startsWith(message.getBody(), this.ownPrefix)) {
            // This instance's own message (a warm-up batch may name a thousand keys): not worth parsing.
            return;
        }
        InvalidationMessage invalidation;
        try {
            invalidation = this.json.readBytes(message.getBody(), this.json.type(InvalidationMessage.class));
        }
        catch (RuntimeException ex) {
            logger.debug("Ignoring an unreadable message on " + this.keys.invalidationChannel(), ex);
            return;
        }
        if (this.instanceId.equals(invalidation.i()) || invalidation.c() == null) {
            return;
        }
        if (InvalidationMessage.LEASE_RELEASED.equals(invalidation.t())) {
            if (invalidation.k() != null) {
                this.listener.leaseReleased(invalidation.c(), invalidation.k());
            }
        }
        else if (invalidation.ks() != null) {
            boolean changed = InvalidationMessage.CHANGED.equals(invalidation.t());
            for (String key : invalidation.ks()) {
                if (changed) {
                    this.listener.keyChanged(invalidation.c(), key);
                }
                else {
                    this.listener.keyWarmed(invalidation.c(), key);
                }
            }
        }
        else if (invalidation.k() == null) {
            this.listener.cacheCleared(invalidation.c());
        }
        else {
            this.listener.keyChanged(invalidation.c(), invalidation.k());
        }
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        if (body == null || body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lettuce reports a reconnect attempt only for a connection lost unexpectedly; the next activation after one
     * means Redis is back and messages may have been missed meanwhile.
     */
    private void watchReconnects() {
        if (!(this.connectionFactory instanceof LettuceConnectionFactory lettuce)) {
            return;
        }
        ClientResources resources = lettuce.getClientResources();
        if (resources == null) {
            return;
        }
        this.connectionEvents = resources.eventBus().get().subscribe((event) -> {
            if (event instanceof ReconnectAttemptEvent) {
                this.connectionLost.set(true);
            }
            else if (event instanceof ConnectionActivatedEvent && this.connectionLost.compareAndSet(true, false)) {
                this.listener.resyncRequired();
            }
        });
    }

    /** @return this instance's id: messages carrying it are this instance's own, and are ignored */
    public String instanceId() {
        return this.instanceId;
    }

    @Override
    public synchronized boolean isRunning() {
        return this.running;
    }

    /** @return whether the subscription is made (false while Redis could not be reached since startup) */
    public synchronized boolean isSubscribed() {
        return this.container != null;
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        this.running = false;
        if (this.retries != null) {
            this.retries.shutdownNow();
            this.retries = null;
        }
        if (this.connectionEvents != null) {
            this.connectionEvents.dispose();
            this.connectionEvents = null;
        }
        if (this.container != null) {
            destroy(this.container);
            this.container = null;
        }
    }

    private static void destroy(RedisMessageListenerContainer listenerContainer) {
        try {
            listenerContainer.destroy();
        }
        catch (Exception ex) {
            logger.debug("Error while stopping the invalidation listener", ex);
        }
    }
}
