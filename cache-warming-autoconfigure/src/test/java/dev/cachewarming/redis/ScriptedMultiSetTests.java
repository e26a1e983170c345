package dev.cachewarming.redis;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which error replies stop the batch script for good (the server will never run it: pipelines instead), and which
 * replies the circuit breaker ignores because they prove Redis is answering.
 */
class ScriptedMultiSetTests {

    private static RedisCommandExecutionException reply(String message) {
        return new RedisCommandExecutionException(message);
    }

    @Test
    void aServerThatWillNeverRunTheScriptRefusesIt() {
        assertThat(ScriptedMultiSet.isRefusal(reply(
                "NOPERM User noscripts has no permissions to run the 'eval' command"))).isTrue();
        assertThat(ScriptedMultiSet.isRefusal(reply("CROSSSLOT Keys in request don't hash to the same slot")))
            .isTrue();
        assertThat(ScriptedMultiSet.isRefusal(reply("ERR unknown command 'EVAL', with args beginning with:")))
            .isTrue();
    }

    @Test
    void aPermissionErrorFromACommandInsideTheScriptFailsOnlyThisBatch() {
        assertThat(ScriptedMultiSet.isRefusal(reply("NOPERM No permissions to access a key script: 3b2c1f, on "
                + "@user_script:6."))).isFalse();
        assertThat(ScriptedMultiSet.isRefusal(reply("OOM command not allowed when used memory > 'maxmemory'.")))
            .isFalse();
    }

    @Test
    void errorRepliesAboutACommandAreAnswersButUnavailabilityIsNot() {
        assertThat(RedisCommandRunner.isAnswer(reply("NOPERM this user has no permissions"))).isTrue();
        assertThat(RedisCommandRunner.isAnswer(reply("WRONGTYPE Operation against a key holding the wrong kind")))
            .isTrue();
        assertThat(RedisCommandRunner.isAnswer(reply("LOADING Redis is loading the dataset in memory"))).isFalse();
        assertThat(RedisCommandRunner.isAnswer(reply("BUSY Redis is busy running a script"))).isFalse();
        assertThat(RedisCommandRunner.isAnswer(reply("CLUSTERDOWN The cluster is down"))).isFalse();
        assertThat(RedisCommandRunner.isAnswer(new IllegalStateException("connection reset"))).isFalse();
    }
}
