package dev.cachewarming.interceptor;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Runs work after the current transaction commits, or at once when there is none (or Spring's transaction support
 * is not on the classpath). Work whose transaction rolls back never runs.
 */
final class AfterCommit {

    private static final boolean TRANSACTIONS = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            AfterCommit.class.getClassLoader());

    private AfterCommit() {
    }

    /**
     * @param work what to run; after a commit, an exception it throws is the caller's to log (the transaction is
     * committed and the caller must not see it fail)
     * @return whether the work was deferred to a commit
     */
    static boolean run(Runnable work) {
        if (TRANSACTIONS && Synchronizations.defer(work)) {
            return true;
        }
        work.run();
        return false;
    }

    /** Kept apart so that nothing of spring-tx is loaded unless it is present. */
    private static final class Synchronizations {

        static boolean defer(Runnable work) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

                @Override
                public void afterCommit() {
                    work.run();
                }
            });
            return true;
        }
    }
}
